import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { DomainError } from '../../domain/errors';
import type { Store } from '../../store/open-store';
import type { BatchOutcome } from './execute-ledger-batch';
import type { LedgerBatchExecutor } from './ledger-pipeline';
import { decodeOutcomes } from './ledger-writer-messages';
import { ledgerBatchesRunOneAtATime } from './member-ledger-cache';
import type { WriterReply, WriterRequest } from './ledger-writer-thread';

export interface LedgerWriterThreadOptions {
  logger?: Logger | undefined;
  /** Hands the started thread to a test, which may stop it to see the server fail fast. */
  onStarted?(worker: Worker): void;
}

/**
 * Starts the writer thread on the store's database and resolves once it has connected. Should the
 * thread ever stop (a bug, out of memory), every command waiting for it and every later one fails
 * at once with `unavailable` (503) and `failure()` says why, for /healthz: nothing it had not
 * answered was acknowledged, and a restarted server takes over from what was committed.
 */
export async function startLedgerWriterThread(store: Store, options: LedgerWriterThreadOptions = {}): Promise<LedgerBatchExecutor> {
  const worker = new Worker(new URL('./ledger-writer-bootstrap.mjs', import.meta.url), { workerData: store.config });
  const waiting = new Map<number, { resolve(outcomes: BatchOutcome[]): void; reject(error: Error): void }>();
  let nextBatchId = 1;
  let closed: (() => void) | undefined;
  let closing = false;
  let stopped: DomainError | null = null;
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  const stop = (cause: string) => {
    if (stopped) return;
    stopped = new DomainError('unavailable', `The ledger writer has stopped (${cause}); points cannot be written until the server restarts`, { reason: 'the ledger writer thread stopped' });
    if (!closing) options.logger?.error({ cause }, 'the ledger writer thread stopped; ledger commands fail with 503 until the server restarts');
    failAll(stopped);
  };
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: WriterReply) => {
      if (reply.type === 'ready') resolve();
      else if (reply.type === 'failed') reject(new Error(`ledger writer thread failed to start: ${reply.message}`));
      else if (reply.type === 'closed') closed?.();
      else {
        const waiter = waiting.get(reply.batchId);
        waiting.delete(reply.batchId);
        try {
          waiter?.resolve(decodeOutcomes(reply.outcomes));
        } catch (error) {
          waiter?.reject(error as Error);
        }
      }
    });
    worker.on('error', (error) => {
      stop(error.message);
      reject(error);
    });
    worker.on('exit', (exitCode) => {
      stop(`exit code ${exitCode}`);
      closed?.();
      reject(new Error('the ledger writer thread stopped before it was ready'));
    });
  });
  options.onStarted?.(worker);
  const oneAtATime = ledgerBatchesRunOneAtATime(store.dialect);
  return {
    // SQLite runs one batch at a time, in order; a second one may wait in the thread so that it
    // does not idle while this thread answers the last batch and sends the next — but only a big
    // one. Sent with whatever few requests had arrived, batches alternated small and large and
    // each small one paid a whole commit; holding them back for the running batch's end made
    // batches of 31 commands instead of 21 (four alternating pairs of `npm run bench -- ledger`
    // over HTTP, one batch in flight against two: 5,567/5,956/5,453/6,615 → 8,656/6,314/7,319/7,202
    // ops/s, p99 lower in each). A big second batch still goes at once: rule awards come 500 at a
    // time, and while ingestion keeps this thread busy, one batch in flight left them applied
    // 260 ms after the last event instead of 73 ms. "Big" is 64 commands: a commit costs about as
    // much as 20 commands' own work, so such a batch loses little by paying one of its own.
    // PostgreSQL: the thread starts each batch as it comes, so exactly as many as run at once; a
    // third batch in flight only waited on the others' row locks (three alternating pairs:
    // 3,728/4,343/4,446 → 4,525/4,759/4,512 ops/s, p99 33/28/30 → 28/27/26 ms).
    maxConcurrentBatches: oneAtATime ? store.dialect.concurrentWriteTransactions + 1 : store.dialect.concurrentWriteTransactions,
    minBatchSizeBesideRunning: oneAtATime ? 64 : undefined,
    failure: () => stopped,
    run(merchantId, nowMs, items) {
      return new Promise((resolve, reject) => {
        if (stopped) return reject(stopped);
        const batchId = nextBatchId++;
        waiting.set(batchId, { resolve, reject });
        worker.postMessage({ type: 'batch', batchId, merchantId, nowMs, items } satisfies WriterRequest);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (stopped) return resolve();
        closing = true;
        closed = resolve;
        worker.postMessage({ type: 'close' } satisfies WriterRequest);
      });
    },
  };
}
