// Instructions per ledger request of the whole server, counted by valgrind's callgrind: the HTTP
// thread (Node's http, Fastify, validation, posting batches to the writer), the ledger writer
// thread, and the rest (V8's compiler and GC threads, the WAL checkpointer). Like
// ledger-instructions.ts, for telling two versions apart on a machine whose speed swings by a
// third from one minute to the next; not a measure of speed.
//
// `sentang serve` runs under callgrind on a SQLite store in a scratch directory; 400 members get an
// opening balance; wrk sends the ledger mix (bench/ledger-mix.lua) from 32 connections, first
// unmeasured (V8 compiles the hot code and the server's warm-up refreshes run, see
// src/cli/refresh-optimized-code.ts), then counted (callgrind_control switches counting on and off).
// Under callgrind the server answers a few hundred requests a second, so the run takes ~3 minutes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess, testSecretKey, type ServerProcess } from '../test/support/server-process';
import { machine, printTable, writeResult } from './support';
import { runWrk, wrkAvailable } from './wrk-load';

const memberCount = 400;
const clients = 32;
const warmupSeconds = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 150);
const measuredSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? 30);

export async function runHttpInstructionsBench(): Promise<void> {
  if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).error) {
    console.log('\nServer instructions per request: skipped, valgrind is not installed (apt-get install -y valgrind)');
    return;
  }
  if (!wrkAvailable()) {
    console.log('\nServer instructions per request: skipped, wrk is not installed (apt-get install -y wrk)');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-http-instructions-'));
  let server: ServerProcess | undefined;
  try {
    // Starting under callgrind takes a minute or so on two cores.
    server = await startServerProcess({ DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', RATE_LIMIT_PER_MINUTE: '100000000' }, {
      wrapper: ['valgrind', '--tool=callgrind', '--separate-threads=yes', '--instr-atstart=no', `--callgrind-out-file=${path.join(dir, 'callgrind.out')}`],
      startTimeoutMs: 5 * 60_000,
    });
    const { child, baseUrl } = server;
    const call = async (pathName: string, body: unknown) => {
      const response = await fetch(`${baseUrl}${pathName}`, { method: 'POST', headers: { authorization: `Bearer ${testSecretKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${pathName} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: string };
    };
    const memberIds: string[] = [];
    for (let i = 0; i < memberCount; i += 20) memberIds.push(...(await Promise.all(Array.from({ length: 20 }, () => call('/api/v1/members', {})))).map((member) => member.id));
    for (let i = 0; i < memberIds.length; i += 20) {
      await Promise.all(memberIds.slice(i, i + 20).map((memberId) => call('/api/v1/points/earn', { memberId, points: 100_000, reason: 'opening balance' })));
    }
    const load = (seconds: number, seed: number) => runWrk({ baseUrl, clients, seconds, memberIds, secretKey: testSecretKey, seed });
    await load(warmupSeconds, 1);
    execCallgrindControl('on', child.pid as number);
    const measured = await load(measuredSeconds, 2);
    execCallgrindControl('off', child.pid as number);
    if (measured.unexpectedAnswers > 0 || measured.socketErrors > 0) throw new Error(`the counted load had ${measured.unexpectedAnswers} unexpected answers and ${measured.socketErrors} socket errors`);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));

    const threads = fs.readdirSync(dir).filter((file) => file.startsWith('callgrind.out')).map((file) => ({
      file, instructions: Number(/^totals:\s*(\d+)/m.exec(fs.readFileSync(path.join(dir, file), 'utf8'))?.[1] ?? 0),
    }));
    const httpThread = threads.find((thread) => thread.file.endsWith('-01'))?.instructions ?? 0;
    if (httpThread === 0) throw new Error('callgrind counted nothing on the HTTP thread');
    const others = threads.filter((thread) => !thread.file.endsWith('-01')).sort((a, b) => b.instructions - a.instructions);
    // The writer thread does most of the work after the HTTP thread; the rest are V8's helpers and the checkpointer.
    const writerThread = others[0]?.instructions ?? 0;
    const rest = others.slice(1).reduce((sum, thread) => sum + thread.instructions, 0);
    const perRequest = (instructions: number) => Math.round(instructions / measured.requests);
    printTable(`Server instructions per ledger request (callgrind; ${measured.requests} requests from ${clients} wrk connections, SQLite) — ${machine()}`, [
      { name: 'HTTP thread', value: perRequest(httpThread), unit: 'instr', target: '(reference)', pass: true },
      { name: 'ledger writer thread', value: perRequest(writerThread), unit: 'instr', target: '(reference)', pass: true },
      { name: 'other threads (V8 helpers, checkpointer)', value: perRequest(rest), unit: 'instr', target: '(reference)', pass: true },
      { name: 'all threads', value: perRequest(httpThread + writerThread + rest), unit: 'instr', target: '(reference)', pass: true },
    ]);
    const file = writeResult('http-instructions', {
      machine: machine(), at: new Date().toISOString(), requests: measured.requests, clients, warmupSeconds, measuredSeconds,
      httpThreadPerRequest: perRequest(httpThread), writerThreadPerRequest: perRequest(writerThread), otherThreadsPerRequest: perRequest(rest),
    });
    console.log(`\nwrote ${file}`);
  } finally {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server?.child.once('exit', resolve));
    }
    // BENCH_KEEP_CALLGRIND=1 keeps the per-thread counts for callgrind_annotate.
    if (process.env.BENCH_KEEP_CALLGRIND === '1') console.log(`callgrind's files: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

function execCallgrindControl(state: 'on' | 'off', pid: number): void {
  const result = spawnSync('callgrind_control', ['-i', state, String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`callgrind_control -i ${state} failed: ${result.stderr}`);
}
