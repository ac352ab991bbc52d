// Drives the ledger mix with wrk (Debian's `wrk` package) instead of Node: on a machine where the
// load generator shares the server's cores, wrk takes about half the CPU per request that the
// Node client (raw-http-client.ts) does, and what it does not take the server gets.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitedChildrenCpuTimeMs } from './support';

export interface WrkRun {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  /** Answers other than 201 and 422. */
  unexpectedAnswers: number;
  socketErrors: number;
  timeouts: number;
  /** CPU time wrk used over the run (user + system), in ms. */
  cpuMs: number;
}

/** Whether `wrk` can be run here; BENCH_LOAD=node uses the Node client even when it can. */
export function wrkAvailable(): boolean {
  if (process.env.BENCH_LOAD === 'node') return false;
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/**
 * Runs wrk with `clients` connections (each sends its next request once the last is answered) on
 * one thread for `seconds`, with bench/ledger-mix.lua building the requests.
 */
export async function runWrk(options: { baseUrl: string; clients: number; seconds: number; memberIds: string[]; secretKey: string; seed: number }): Promise<WrkRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-wrk-'));
  const membersFile = path.join(dir, 'members.txt');
  fs.writeFileSync(membersFile, `${options.memberIds.join('\n')}\n`);
  try {
    const child = spawn('wrk', [
      '-t1', `-c${options.clients}`, `-d${options.seconds}s`, '--timeout', '10s',
      '-s', path.resolve('bench/ledger-mix.lua'), options.baseUrl,
      '--', membersFile, options.secretKey, String(options.seed),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const childrenCpuAtStartMs = exitedChildrenCpuTimeMs();
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    const cpuMs = exitedChildrenCpuTimeMs() - childrenCpuAtStartMs;
    const summaryLine = output.split('\n').find((line) => line.startsWith('{"requests"'));
    if (exitCode !== 0 || !summaryLine) throw new Error(`wrk failed (exit code ${exitCode}): ${output}`);
    return { ...(JSON.parse(summaryLine) as Omit<WrkRun, 'cpuMs'>), cpuMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
