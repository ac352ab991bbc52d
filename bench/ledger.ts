// Ledger throughput (BENCH_STORES=sqlite,postgres picks the stores; BENCH_SECONDS the duration): a mix of earn (50%), spend (35%) and transfer (15%) from 64 concurrent clients,
// over HTTP against a server in its own process, and in-process through the services; on SQLite
// with synchronous=FULL and on PostgreSQL. Targets from the issue: ≥10,000 ops/s over HTTP on
// SQLite, ≥3,000 ops/s on PostgreSQL, p99 < 25 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { pino } from 'pino';
import { disableAllocationSitePretenuring } from '../src/cli/disable-allocation-site-pretenuring';
import { createMember } from '../src/services/members/create-member';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { earnPoints } from '../src/services/points/earn-points';
import { spendPoints } from '../src/services/points/spend-points';
import { transferPoints } from '../src/services/points/transfer-points';
import { checkLedger } from '../src/services/points/check-ledger';
import { createServiceContext, type ServiceContext } from '../src/services/context';
import { startServices } from '../src/services/start-services';
import { openStore } from '../src/store/open-store';
import { scratchPostgres, type ScratchDatabase } from '../test/support/scratch-database';
import { seededRandom } from '../test/support/seeded-random';
import { startServerProcess, testSecretKey } from '../test/support/server-process';
import { nextOperation, type Operation } from './ledger-mix';
import { RawHttpConnection } from './raw-http-client';
import { runWrk, wrkAvailable, type WrkRun } from './wrk-load';
import { cpuTimeMs, machine, machineSpeed, peakRssMb, percentile, printTable, reportMachineSpeed, writeResult, type Row } from './support';

const durationMs = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
// The same mix runs unmeasured first: V8 compiles the hot paths of earn, spend and transfer (and the
// writer thread's batch code) only once they run, and on two shared cores that compiling took a
// quarter of a core for the first seconds of a run — work a running server has long done.
const warmupMs = Number(process.env.BENCH_WARMUP_SECONDS ?? 3) * 1000;
if (!Number.isFinite(warmupMs) || warmupMs < 0) throw new Error(`BENCH_WARMUP_SECONDS must be 0 or more seconds (got ${process.env.BENCH_WARMUP_SECONDS})`);
// BENCH_CLIENTS: fewer clients than 64 show the latency of a server that is not saturated.
const clients = Number(process.env.BENCH_CLIENTS ?? 64);
if (!Number.isInteger(clients) || clients < 1) throw new Error(`BENCH_CLIENTS must be a whole number of clients, 1 or more (got ${process.env.BENCH_CLIENTS})`);
// BENCH_WINDOWS=6: the runs over HTTP measure six windows of BENCH_SECONDS back to back on the same
// server and print each, to show whether throughput holds as members' lots and the store grow.
const windowCount = Number(process.env.BENCH_WINDOWS ?? 1);
if (!Number.isInteger(windowCount) || windowCount < 1) throw new Error(`BENCH_WINDOWS must be a whole number of windows, 1 or more (got ${process.env.BENCH_WINDOWS})`);
// BENCH_IN_PROCESS=0 skips the in-process runs, halving the time of an A/B comparison over HTTP.
const inProcessRuns = process.env.BENCH_IN_PROCESS !== '0';
const memberCount = 1000;
// The runs over HTTP take their load from wrk where Debian's `wrk` is installed (apt-get install wrk),
// else from this process; BENCH_LOAD=node picks this process anyway.
const useWrk = wrkAvailable();
const loadGenerator = useWrk ? 'wrk (1 thread)' : 'Node (raw keep-alive connections)';

/** What the load saw. */
interface LoadFigures { operations: number; opsPerSecond: number; p50Ms: number; p99Ms: number; errors: number }

interface WindowFigures { opsPerSecond: number; p50Ms: number; p99Ms: number; serverCpuUsPerOp: number }

interface RunFigures extends LoadFigures {
  peakRssMb: number;
  serverCpuUsPerOp?: number; clientCpuUsPerOp?: number;
  /** With BENCH_WINDOWS above 1: each window's figures, in order (the run's p50 and p99 are then the worst window's). */
  windows?: WindowFigures[];
}

interface LedgerCheckFigures {
  /** Broken ledger invariants (`sentang ledger check`) once the run is over; fast is worth nothing without 0. */
  ledgerViolations: number;
  /** How many ledger transactions that check went through (the run's, and the opening balances). */
  ledgerTransactionsChecked: number;
}

type Measurement = RunFigures & LedgerCheckFigures;

type RunOperation = (operation: Operation, client: number) => Promise<boolean>;

/** Runs the mix unmeasured for BENCH_WARMUP_SECONDS (other seeds than the measured run's); returns its failed requests. */
async function warmUp(run: RunOperation, memberIds: string[]): Promise<number> {
  if (warmupMs === 0) return 0;
  return (await drive(run, memberIds, warmupMs, 5000)).errors;
}

async function drive(run: RunOperation, memberIds: string[], forMs = durationMs, seedBase = 1000): Promise<LoadFigures> {
  const latencies: number[] = [];
  let errors = 0;
  const startedAt = performance.now();
  const deadline = startedAt + forMs;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    const random = seededRandom(seedBase + client);
    while (performance.now() < deadline) {
      const operation = nextOperation(random, memberIds);
      const t0 = performance.now();
      const ok = await run(operation, client);
      latencies.push(performance.now() - t0);
      if (!ok) errors += 1;
    }
  }));
  const elapsedS = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    operations: latencies.length,
    opsPerSecond: Math.round(latencies.length / elapsedS),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    errors,
  };
}

/**
 * Gives PostgreSQL its planner statistics of the loaded data, as pgbench does after loading. A live
 * database has them (autovacuum analyzes a table within about a minute of changes to it); this
 * fresh one had none, and PostgreSQL then read every open lot of the merchant to find a batch's
 * members' lots (the member id a filter instead of an index condition): 1.3–2.8 ms a batch instead
 * of 0.1 ms, inside the batch's row locks.
 */
async function analyzePostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/** Every ledger invariant of every merchant in the store, as `sentang ledger check` verifies them. */
async function checkWholeLedger(ctx: ServiceContext): Promise<LedgerCheckFigures> {
  const reports = await checkLedger(ctx);
  return {
    ledgerViolations: reports.reduce((sum, report) => sum + report.violations.length, 0),
    ledgerTransactionsChecked: reports.reduce((sum, report) => sum + report.transactionsChecked, 0),
  };
}

/** The same check on a store the server process has left, once it has stopped. */
async function checkLedgerInStore(storeEnv: Record<string, string>): Promise<LedgerCheckFigures> {
  const store = await openStore({ databaseUrl: storeEnv.DATABASE_URL || undefined, dataDir: storeEnv.DATA_DIR, migrate: false });
  try {
    return await checkWholeLedger(createServiceContext(store, { logger: pino({ level: 'warn' }) }));
  } finally {
    await store.close();
  }
}

async function benchHttp(storeEnv: Record<string, string>): Promise<Measurement> {
  const measurement = await measureHttp(storeEnv);
  return { ...measurement, ...(await checkLedgerInStore(storeEnv)) };
}

async function measureHttp(storeEnv: Record<string, string>): Promise<RunFigures> {
  const { child, baseUrl } = await startServerProcess({ ...storeEnv, RATE_LIMIT_PER_MINUTE: '100000000' });
  const pool = new Pool(baseUrl, { connections: clients, pipelining: 1 });
  const call = async (pathName: string, body: unknown) => {
    const response = await pool.request({
      path: pathName, method: 'POST', body: JSON.stringify(body),
      headers: { authorization: `Bearer ${testSecretKey}`, 'content-type': 'application/json' },
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: JSON.parse(text) };
  };
  try {
    const memberIds: string[] = [];
    for (let i = 0; i < memberCount; i += 100) {
      const created = await Promise.all(Array.from({ length: 100 }, () => call('/api/v1/members', {})));
      memberIds.push(...created.map((r) => r.json.id as string));
    }
    await Promise.all(memberIds.map((memberId) => call('/api/v1/points/earn', { memberId, points: 1000, reason: 'opening balance' })));
    if (storeEnv.DATABASE_URL) await analyzePostgres(storeEnv.DATABASE_URL);
    const serverCpuMs = () => cpuTimeMs(child.pid as number);
    const measured = useWrk ? await measureWithWrk(baseUrl, memberIds, serverCpuMs) : await measureWithNode(baseUrl, memberIds, serverCpuMs);
    const serverCpuUsPerOp = Math.round((measured.serverCpuMs * 1000) / Math.max(1, measured.operations));
    // The load generator runs on the same two cores: what it uses, the server does not get.
    const clientCpuUsPerOp = Math.round((measured.clientCpuMs * 1000) / Math.max(1, measured.operations));
    const { clientCpuMs: _client, serverCpuMs: _server, ...result } = measured;
    return { ...result, serverCpuUsPerOp, clientCpuUsPerOp, peakRssMb: peakRssMb(child.pid as number) };
  } finally {
    await pool.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** One window of load over HTTP, and the load generator's CPU time over it. */
type WindowMeasurement = LoadFigures & { clientCpuMs: number };
/** All windows together, with the server's CPU time over them. */
type HttpMeasurement = WindowMeasurement & { serverCpuMs: number; windows?: WindowFigures[] };

/**
 * Runs `measureWindow` BENCH_WINDOWS times back to back and adds them up: operations, errors and
 * load-generator CPU summed, ops/s over the whole, p50 and p99 the worst window's (the windows'
 * latencies are not kept). With more than one window each is printed as it ends.
 */
async function inWindows(measureWindow: (index: number) => Promise<WindowMeasurement>, serverCpuMs: () => number): Promise<HttpMeasurement> {
  const windows: WindowFigures[] = [];
  let total: HttpMeasurement = { operations: 0, opsPerSecond: 0, p50Ms: 0, p99Ms: 0, errors: 0, clientCpuMs: 0, serverCpuMs: 0 };
  let seconds = 0;
  for (let index = 0; index < windowCount; index += 1) {
    const serverCpuAtStartMs = serverCpuMs();
    const window = await measureWindow(index);
    const windowServerCpuMs = serverCpuMs() - serverCpuAtStartMs;
    const figures = {
      opsPerSecond: window.opsPerSecond, p50Ms: window.p50Ms, p99Ms: window.p99Ms,
      serverCpuUsPerOp: Math.round((windowServerCpuMs * 1000) / Math.max(1, window.operations)),
    };
    windows.push(figures);
    if (windowCount > 1) console.log(`  window ${index + 1} of ${windowCount}: ${figures.opsPerSecond} ops/s, ${figures.serverCpuUsPerOp} µs of server CPU per op, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms`);
    seconds += window.operations / Math.max(1, window.opsPerSecond);
    total = {
      operations: total.operations + window.operations, opsPerSecond: 0,
      p50Ms: Math.max(total.p50Ms, window.p50Ms), p99Ms: Math.max(total.p99Ms, window.p99Ms),
      errors: total.errors + window.errors, clientCpuMs: total.clientCpuMs + window.clientCpuMs, serverCpuMs: total.serverCpuMs + windowServerCpuMs,
    };
  }
  return { ...total, opsPerSecond: Math.round(total.operations / Math.max(seconds, 1e-9)), ...(windowCount > 1 ? { windows } : {}) };
}

/**
 * The mix from this process over raw keep-alive connections, one per client: undici spent about
 * three times the CPU per request, taken from the two cores the server runs on.
 */
async function measureWithNode(baseUrl: string, memberIds: string[], serverCpuMs: () => number): Promise<HttpMeasurement> {
  const connections = await Promise.all(Array.from({ length: clients }, () => RawHttpConnection.open(baseUrl)));
  try {
    const headers = `authorization: Bearer ${testSecretKey}\r\ncontent-type: application/json\r\n`;
    const runOperation: RunOperation = async (operation, client) => {
      const response = await (connections[client] as RawHttpConnection).request('POST', `/api/v1/points/${operation.kind}`, headers, JSON.stringify(operation.body));
      JSON.parse(response.body);
      return response.status === 201 || response.status === 422; // 422: a random spend the balance did not cover
    };
    const warmupErrors = await warmUp(runOperation, memberIds);
    const result = await inWindows(async (index) => {
      const clientCpuAtStartMs = cpuTimeMs();
      const window = await drive(runOperation, memberIds, durationMs, 1000 + index * 10_000);
      return { ...window, clientCpuMs: cpuTimeMs() - clientCpuAtStartMs };
    }, serverCpuMs);
    return { ...result, errors: result.errors + warmupErrors };
  } finally {
    for (const connection of connections) connection.close();
  }
}

/** The same mix from wrk (bench/ledger-mix.lua), which costs the shared cores about half as much per request. */
async function measureWithWrk(baseUrl: string, memberIds: string[], serverCpuMs: () => number): Promise<HttpMeasurement> {
  const run = (seconds: number, seed: number) => runWrk({ baseUrl, clients, seconds, memberIds, secretKey: testSecretKey, seed });
  const failed = (r: WrkRun) => r.unexpectedAnswers + r.socketErrors + r.timeouts;
  const warmupErrors = warmupMs > 0 ? failed(await run(warmupMs / 1000, 5000)) : 0;
  const result = await inWindows(async (index) => {
    const measured = await run(durationMs / 1000, 1000 + index);
    return {
      operations: measured.requests,
      opsPerSecond: Math.round(measured.requests / (measured.durationUs / 1e6)),
      p50Ms: Number((measured.p50Us / 1000).toFixed(2)),
      p99Ms: Number((measured.p99Us / 1000).toFixed(2)),
      errors: failed(measured),
      clientCpuMs: measured.cpuMs,
    };
  }, serverCpuMs);
  return { ...result, errors: result.errors + warmupErrors };
}

async function benchInProcess(databaseUrl: string | undefined, dataDir: string | undefined): Promise<Measurement> {
  // As the server runs them (the writer thread; on SQLite the checkpointer thread, and V8 as
  // `sentang serve` sets it): this run is the server without HTTP.
  disableAllocationSitePretenuring();
  const services = await startServices({ databaseUrl, dataDir, logger: pino({ level: 'warn' }) });
  const { ctx } = services;
  try {
    const merchant = await createMerchant(ctx, { name: 'Bench in-process' });
    const memberIds: string[] = [];
    for (let i = 0; i < memberCount; i += 1) memberIds.push((await createMember(ctx, merchant.id, {})).id);
    await Promise.all(memberIds.map((memberId) => earnPoints(ctx, merchant.id, { memberId, points: 1000, reason: 'opening balance' })));
    if (databaseUrl) await analyzePostgres(databaseUrl);
    const runOperation: RunOperation = async (operation) => {
      try {
        if (operation.kind === 'earn') await earnPoints(ctx, merchant.id, operation.body as never);
        else if (operation.kind === 'spend') await spendPoints(ctx, merchant.id, operation.body as never);
        else await transferPoints(ctx, merchant.id, operation.body as never);
        return true;
      } catch (error) {
        return (error as { code?: string }).code === 'insufficient_points';
      }
    };
    const warmupErrors = await warmUp(runOperation, memberIds);
    const result = await drive(runOperation, memberIds);
    return { ...result, errors: result.errors + warmupErrors, peakRssMb: peakRssMb(), ...(await checkWholeLedger(ctx)) };
  } finally {
    await services.stop();
  }
}

const measuredPeriod = windowCount > 1 ? `${windowCount} windows of ${durationMs / 1000} s` : `${durationMs / 1000} s`;

export async function runLedgerBench(): Promise<void> {
  const speedBefore = await machineSpeed();
  const results: Record<string, unknown> = { machine: machine(), durationSeconds: durationMs / 1000, windows: windowCount, warmupSeconds: warmupMs / 1000, loadGenerator, clients, memberCount, at: new Date().toISOString() };
  const rows: Row[] = [];
  const add = (label: string, m: Measurement, targetOps: number | null) => {
    if (targetOps !== null) rows.push({ name: `${label} ops/s`, value: m.opsPerSecond, unit: 'ops/s', target: `≥ ${targetOps}`, pass: m.opsPerSecond >= targetOps });
    else rows.push({ name: `${label} ops/s`, value: m.opsPerSecond, unit: 'ops/s', target: '(reference)', pass: true });
    if (m.serverCpuUsPerOp !== undefined) rows.push({ name: `${label} server CPU per op`, value: m.serverCpuUsPerOp, unit: 'µs', target: '(reference)', pass: true });
    if (m.clientCpuUsPerOp !== undefined) rows.push({ name: `${label} load generator CPU per op`, value: m.clientCpuUsPerOp, unit: 'µs', target: '(reference)', pass: true });
    rows.push({ name: `${label} p50`, value: m.p50Ms, unit: 'ms', target: '', pass: true });
    rows.push({ name: `${label} p99`, value: m.p99Ms, unit: 'ms', target: '< 25', pass: m.p99Ms < 25 });
    rows.push({ name: `${label} peak RSS`, value: m.peakRssMb, unit: 'MB', target: '', pass: true });
    rows.push({ name: `${label} failed requests`, value: m.errors, unit: '', target: '0', pass: m.errors === 0 });
    rows.push({ name: `${label} ledger violations`, value: m.ledgerViolations, unit: '', target: '0', pass: m.ledgerViolations === 0 });
  };

  const stores = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
  if (stores.includes('sqlite')) {
    const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-bench-'));
    const inProcessDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-bench-'));
    try {
      console.log(`SQLite (WAL, synchronous=FULL) over HTTP, ${clients} clients from ${loadGenerator}, ${warmupMs / 1000} s unmeasured, then ${measuredPeriod}…`);
      const http = await benchHttp({ DATA_DIR: sqliteDir, DATABASE_URL: '' });
      results.sqliteHttp = http;
      add('SQLite HTTP', http, 10_000);
      if (inProcessRuns) {
        console.log('SQLite in-process…');
        const inProcess = await benchInProcess(undefined, inProcessDir);
        results.sqliteInProcess = inProcess;
        add('SQLite in-process', inProcess, null);
      }
    } finally {
      fs.rmSync(sqliteDir, { recursive: true, force: true });
      fs.rmSync(inProcessDir, { recursive: true, force: true });
    }
  }

  const postgresBase = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  let database: ScratchDatabase | undefined;
  if (stores.includes('postgres')) try {
    database = await scratchPostgres(postgresBase, 'sentang_bench');
  } catch (error) {
    console.log(`PostgreSQL not reachable at ${postgresBase}: skipping its runs (${(error as Error).message})`);
  }
  if (database) {
    try {
      console.log(`PostgreSQL over HTTP, ${clients} clients from ${loadGenerator}, ${warmupMs / 1000} s unmeasured, then ${measuredPeriod}…`);
      const http = await benchHttp({ DATABASE_URL: (database.databaseUrl as string) });
      results.postgresHttp = http;
      add('PostgreSQL HTTP', http, 3_000);
    } finally {
      await database.drop();
    }
    if (inProcessRuns) {
      const second = await scratchPostgres(postgresBase, 'sentang_bench');
      try {
        console.log('PostgreSQL in-process…');
        const inProcess = await benchInProcess((second.databaseUrl as string), undefined);
        results.postgresInProcess = inProcess;
        add('PostgreSQL in-process', inProcess, null);
      } finally {
        await second.drop();
      }
    }
  }
  printTable(`Ledger benchmark — ${results.machine as string}`, rows);
  results.machineSpeed = await reportMachineSpeed(speedBefore);
  console.log(`\nwrote ${writeResult('ledger', { ...results, rows })}`);
}
