// Ingestion throughput (BENCH_STORES, BENCH_SECONDS as for the ledger bench): batches of 100 Segment
// messages over HTTP from 16 concurrent senders (70% anonymous page and product views, 20%
// identified tracks, 5% orders, 5% identifies). Targets from issue 3: ≥ 50,000 events/s on SQLite,
// ≥ 15,000 on PostgreSQL, stages and points applied within 1 s. Events are stored, stitched to
// people and moved along the journey in the acknowledged transaction; points follow from the outbox.
import { Pool } from 'undici';
import { scratchPostgres, scratchSqlite, type ScratchDatabase } from '../test/support/scratch-database';
import { seededRandom } from '../test/support/seeded-random';
import { openStore } from '../src/store/open-store';
import { startServerProcess, testSecretKey } from '../test/support/server-process';
import { cpuTimeMs, machine, machineSpeed, peakRssMb, percentile, printTable, reportMachineSpeed, writeResult, type Row } from './support';

const durationMs = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const senders = 16;
const batchSize = 100;
const writeKey = 'wk_bench_0123456789abcdefghij';

function message(random: () => number, sequence: number): Record<string, unknown> {
  const person = Math.floor(random() * 50_000);
  const roll = random();
  const base = { messageId: `bench-${process.pid}-${sequence}`, timestamp: new Date().toISOString(), context: { campaign: { source: 'line', medium: 'social' } } };
  if (roll < 0.7) return { ...base, type: random() < 0.5 ? 'page' : 'track', name: 'Menu', event: 'Product Viewed', anonymousId: `anon-${person}`, properties: { sku: `sku-${person % 40}` } };
  if (roll < 0.9) return { ...base, type: 'track', event: 'Product Reviewed', userId: `user-${person}`, properties: { rating: 5 } };
  if (roll < 0.95) return { ...base, type: 'track', event: 'Order Completed', userId: `user-${person}`, properties: { revenue: 120 + (person % 500), currency: 'THB' } };
  return { ...base, type: 'identify', userId: `user-${person}`, anonymousId: `anon-${person}`, traits: { name: `Member ${person}` } };
}


async function run(label: string, database: ScratchDatabase): Promise<Record<string, number>> {
  const { child, baseUrl, output } = await startServerProcess({
    DATA_DIR: database.dataDir ?? '', DATABASE_URL: database.databaseUrl ?? '', SENTANG_DEMO_WRITE_KEY: writeKey, RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const pool = new Pool(baseUrl, { connections: senders });
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  // Orders and reviews earn points, so the run measures the awards path too.
  for (const template of ['purchase', 'product_review']) {
    await pool.request({ path: '/api/v1/rules', method: 'POST', body: JSON.stringify({ template }), headers: { authorization: `Bearer ${testSecretKey}`, 'content-type': 'application/json' } }).then((r) => r.body.text());
  }
  const latencies: number[] = [];
  let events = 0;
  let failures = 0;
  let sequence = 0;
  try {
    const started = performance.now();
    const cpuAtStartMs = cpuTimeMs(child.pid as number);
    const deadline = started + durationMs;
    await Promise.all(Array.from({ length: senders }, async (_, sender) => {
      const random = seededRandom(500 + sender);
      while (performance.now() < deadline) {
        const body = JSON.stringify({ batch: Array.from({ length: batchSize }, () => message(random, sequence++)), sentAt: new Date().toISOString() });
        const t0 = performance.now();
        const response = await pool.request({ path: '/v1/batch', method: 'POST', body, headers: { authorization, 'content-type': 'application/json' } });
        const answer = await response.body.text();
        latencies.push(performance.now() - t0);
        if (response.statusCode === 200) events += batchSize;
        else if ((failures += 1) === 1) console.log(`first failed batch: ${response.statusCode} ${answer.slice(0, 300)}`);
      }
    }));
    const lastAckAt = performance.now();
    const serverCpuUsPerEvent = Math.round(((cpuTimeMs(child.pid as number) - cpuAtStartMs) * 1000) / Math.max(1, events));
    const seconds = (lastAckAt - started) / 1000;
    latencies.sort((a, b) => a - b);
    // Stages are applied inside the acknowledged transaction (lag 0); points follow from the outbox.
    // The time until no award is pending after the last acknowledgement bounds their lag.
    const store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, migrate: false });
    let pointsDrainMs = -1;
    try {
      for (let attempt = 0; attempt < 600; attempt += 1) {
        const pending = await store.db.selectFrom('point_awards').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
        if (Number(pending.n) === 0) {
          pointsDrainMs = Math.round(performance.now() - lastAckAt);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await store.close();
    }
    // A failed batch is a bug: show what the server logged for the first ones.
    if (failures > 0) console.log(output().split('\n').filter((line) => /"level":[56]0/.test(line)).slice(0, 3).join('\n').slice(0, 3000));
    console.log(`${label}: ${Math.round(events / seconds)} events/s, server CPU ${serverCpuUsPerEvent} µs per event, points applied ${pointsDrainMs} ms after the last acknowledgement`);
    return { eventsPerSecond: Math.round(events / seconds), serverCpuUsPerEvent, batchP50Ms: Number(percentile(latencies, 50).toFixed(2)), batchP99Ms: Number(percentile(latencies, 99).toFixed(2)), failedBatches: failures, pointsDrainMs, peakRssMb: peakRssMb(child.pid as number) };
  } finally {
    await pool.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await database.drop();
  }
}

export async function runIngestBench(): Promise<void> {
  const speedBefore = await machineSpeed();
  const stores = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
  const results: Record<string, unknown> = { machine: machine(), durationSeconds: durationMs / 1000, senders, batchSize, at: new Date().toISOString() };
  const rows: Row[] = [];
  const add = (label: string, r: Record<string, number>, target: number) => {
    rows.push({ name: `${label} events/s`, value: r.eventsPerSecond ?? 0, unit: 'ev/s', target: `≥ ${target}`, pass: (r.eventsPerSecond ?? 0) >= target });
    rows.push({ name: `${label} server CPU per event`, value: r.serverCpuUsPerEvent ?? 0, unit: 'µs', target: '(reference)', pass: true });
    rows.push({ name: `${label} batch p50`, value: r.batchP50Ms ?? 0, unit: 'ms', target: '', pass: true });
    rows.push({ name: `${label} batch p99`, value: r.batchP99Ms ?? 0, unit: 'ms', target: '', pass: true });
    rows.push({ name: `${label} points applied after last ack`, value: r.pointsDrainMs ?? -1, unit: 'ms', target: '≤ 1000', pass: (r.pointsDrainMs ?? -1) >= 0 && (r.pointsDrainMs ?? 0) <= 1000 });
    rows.push({ name: `${label} peak RSS`, value: r.peakRssMb ?? 0, unit: 'MB', target: '', pass: true });
    rows.push({ name: `${label} failed batches`, value: r.failedBatches ?? 0, unit: '', target: '0', pass: r.failedBatches === 0 });
  };
  if (stores.includes('sqlite')) {
    results.sqlite = await run('SQLite', scratchSqlite());
    add('SQLite', results.sqlite as Record<string, number>, 50_000);
  }
  if (stores.includes('postgres')) {
    try {
      const database = await scratchPostgres(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', 'sentang_bench');
      results.postgres = await run('PostgreSQL', database);
      add('PostgreSQL', results.postgres as Record<string, number>, 15_000);
    } catch (error) {
      console.log(`PostgreSQL not reachable: skipping its run (${(error as Error).message})`);
    }
  }
  printTable(`Ingest benchmark (store, identity, journey, points) — ${results.machine as string}`, rows);
  results.machineSpeed = await reportMachineSpeed(speedBefore);
  console.log(`\nwrote ${writeResult('ingest', { ...results, rows })}`);
}
