// Instructions per ledger command of the writer's batches, counted by valgrind's callgrind: the
// same for the same code whatever else the machine is doing, where time and ops/s on these two
// shared cores swing by a third from one minute to the next. For comparing two versions of the
// batch code (execute-ledger-batch.ts and the store below it), not for absolute speed.
//
// The benchmark runs itself under callgrind: the child opens a SQLite store (synchronous=FULL) in
// a scratch directory, gives 1,000 members an opening balance, runs the ledger mix (50% earn, 35%
// spend, 15% transfer) in batches of 31 commands as the writer thread would, first unmeasured so
// that V8 has compiled the hot code, then counted (callgrind_control switches counting on and off).
// The figure is the child's main thread; V8's compiler and GC threads are reported beside it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { disableAllocationSitePretenuring } from '../src/cli/disable-allocation-site-pretenuring';
import { createServiceContext } from '../src/services/context';
import { createIdGenerator } from '../src/services/id-generator';
import { createMember } from '../src/services/members/create-member';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { runLedgerBatch, type BatchItem } from '../src/services/points/execute-ledger-batch';
import { MemberLedgerCache } from '../src/services/points/member-ledger-cache';
import { openStore } from '../src/store/open-store';
import { seededRandom } from '../test/support/seeded-random';
import { nextOperation } from './ledger-mix';
import { machine, printTable, writeResult } from './support';

const batchSize = 31;
const batchesPerRound = 20;
const warmupRounds = 25;
const measuredRounds = 3;
const childFlag = 'SENTANG_LEDGER_INSTRUCTIONS_CHILD';

const item = (command: BatchItem['command']): BatchItem => ({ command, idempotencyKey: null, operation: command.type, requestHash: '', successStatus: 201 });

async function runChild(): Promise<void> {
  // As in `sentang serve`, whose writer thread runs these batches.
  disableAllocationSitePretenuring();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-instructions-'));
  const store = await openStore({ dataDir });
  try {
    const ctx = createServiceContext(store, { logger: pino({ level: 'warn' }) });
    const merchant = await createMerchant(ctx, { name: 'Instructions' });
    const memberIds: string[] = [];
    for (let i = 0; i < 1000; i += 1) memberIds.push((await createMember(ctx, merchant.id, {})).id);
    const deps = { store, newId: createIdGenerator(), cache: new MemberLedgerCache() };
    for (let i = 0; i < memberIds.length; i += 100) {
      await runLedgerBatch(deps, merchant.id, Date.now(), memberIds.slice(i, i + 100).map((memberId) => item({ type: 'earn', memberId, points: 1000, reason: 'opening balance' })));
    }
    const random = seededRandom(42);
    const command = (): BatchItem['command'] => {
      const operation = nextOperation(random, memberIds);
      return { type: operation.kind, ...operation.body } as BatchItem['command'];
    };
    // The commands are made before their rounds run, so that only the batches are counted.
    const batchesOf = (count: number) => Array.from({ length: count * batchesPerRound }, () => Array.from({ length: batchSize }, () => item(command())));
    const rounds = async (batches: BatchItem[][]) => {
      for (const batch of batches) await runLedgerBatch(deps, merchant.id, Date.now(), batch);
    };
    await rounds(batchesOf(warmupRounds));
    const measured = batchesOf(measuredRounds);
    execFileSync('callgrind_control', ['-i', 'on', String(process.pid)], { stdio: 'ignore' });
    await rounds(measured);
    execFileSync('callgrind_control', ['-i', 'off', String(process.pid)], { stdio: 'ignore' });
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runLedgerInstructionsBench(): Promise<void> {
  if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).error) {
    console.log('\nLedger writer instructions: skipped, valgrind is not installed (apt-get install -y valgrind)');
    return;
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-callgrind-'));
  try {
    const outFile = path.join(outDir, 'callgrind.out');
    const child = spawnSync('valgrind', [
      '--tool=callgrind', '--separate-threads=yes', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${outFile}`,
      process.execPath, '--import', 'tsx', 'bench/ledger-instructions.ts',
    ], { env: { ...process.env, [childFlag]: '1' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`the counted run failed (exit ${child.status}): ${child.stderr.split('\n').filter((line) => !line.startsWith('==')).join('\n').slice(-2000)}`);
    const threads = fs.readdirSync(outDir).map((file) => ({
      file, instructions: Number(/^totals:\s*(\d+)/m.exec(fs.readFileSync(path.join(outDir, file), 'utf8'))?.[1] ?? 0),
    }));
    const commands = measuredRounds * batchesPerRound * batchSize;
    const mainThread = threads.find((thread) => thread.file.endsWith('-01'))?.instructions ?? 0;
    const allThreads = threads.reduce((sum, thread) => sum + thread.instructions, 0);
    if (mainThread === 0) throw new Error('callgrind counted nothing on the main thread');
    const perCommand = (instructions: number) => Math.round(instructions / commands);
    printTable(`Ledger writer instructions (callgrind; ${commands} commands in batches of ${batchSize}, SQLite) — ${machine()}`, [
      { name: 'instructions per command, batch thread', value: perCommand(mainThread), unit: 'instr', target: '(reference)', pass: true },
      { name: 'instructions per command, V8 helper threads', value: perCommand(allThreads - mainThread), unit: 'instr', target: '(reference)', pass: true },
    ]);
    const file = writeResult('ledger-instructions', {
      machine: machine(), at: new Date().toISOString(), commands, batchSize, warmupBatches: warmupRounds * batchesPerRound,
      instructionsPerCommand: perCommand(mainThread), helperThreadInstructionsPerCommand: perCommand(allThreads - mainThread),
    });
    console.log(`\nwrote ${file}`);
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.env[childFlag] === '1') await runChild();
