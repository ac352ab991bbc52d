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

/**
 * CPU time a process has used so far (user + system, all threads), in ms. Throughput on a shared
 * two-core machine swings from run to run; CPU per operation is the steadier figure to compare.
 */
export function cpuTimeMs(pid: number | 'self' = 'self'): number {
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
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
