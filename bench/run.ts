export {};
// `npm run bench -- <name>`: runs one benchmark (or all) and writes JSON to bench/results/.
const benches: Record<string, () => Promise<void>> = {
  ledger: async () => (await import('./ledger')).runLedgerBench(),
  'ledger-instructions': async () => (await import('./ledger-instructions')).runLedgerInstructionsBench(),
  'http-instructions': async () => (await import('./http-instructions')).runHttpInstructionsBench(),
  ingest: async () => (await import('./ingest')).runIngestBench(),
  analytics: async () => (await import('./analytics')).runAnalyticsBench(),
  web: async () => (await import('./web')).runWebBench(),
};

const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const selected = names.length > 0 ? names : Object.keys(benches);
for (const name of selected) {
  const bench = benches[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}". Known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await bench();
}
