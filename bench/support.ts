import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] as number;
}

export function peakRssMb(pid: number | 'self' = 'self'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function writeResult(name: string, result: unknown): string {
  const dir = path.resolve('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  return file;
}

export interface Row { name: string; value: number; unit: string; target: string; pass: boolean }

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  for (const row of rows) {
    console.log(`  ${row.name.padEnd(44)} ${String(row.value).padStart(10)} ${row.unit.padEnd(6)} target ${row.target.padEnd(12)} ${row.pass ? 'ok' : 'MISSED'}`);
  }
}
