// The ledger writer thread: opens its own connection to the same store and runs the batches the
// main thread posts. Started by startLedgerWriterThread; see ledger-pipeline.ts for why.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore, type StoreConfig } from '../../store/open-store';
import { createIdGenerator } from '../id-generator';
import { runLedgerBatch, type BatchItem } from './execute-ledger-batch';
import { encodeOutcomes } from './ledger-writer-messages';
import { ledgerBatchesRunOneAtATime, MemberLedgerCache } from './member-ledger-cache';

export type WriterRequest =
  | { type: 'batch'; batchId: number; merchantId: string; nowMs: number; items: BatchItem[] }
  | { type: 'close' };

export type WriterReply =
  | { type: 'ready' }
  /** `outcomes`: one for each command, as encodeOutcomes wrote them. */
  | { type: 'result'; batchId: number; outcomes: string }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('ledger-writer-thread must run in a worker thread');
const config = workerData as StoreConfig;
const newId = createIdGenerator();

try {
  const store = await openStore({ ...config, migrate: false });
  // Member state is kept between batches (member-ledger-cache.ts). Where it is checked by SQLite's
  // change counter, batches must run one at a time; PostgreSQL checks each member's version under
  // its lock and runs its batches side by side.
  const cache = new MemberLedgerCache();
  const oneAtATime = ledgerBatchesRunOneAtATime(store.dialect);
  const deps = { store, newId, cache };
  const runBatch = (message: Extract<WriterRequest, { type: 'batch' }>) => runLedgerBatch(deps, message.merchantId, message.nowMs, message.items)
    .then((outcomes) => port.postMessage({ type: 'result', batchId: message.batchId, outcomes: encodeOutcomes(outcomes) } satisfies WriterReply));
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: WriterRequest) => {
    if (message.type === 'close') {
      void queue.then(() => store.close()).then(() => {
        port.postMessage({ type: 'closed' } satisfies WriterReply);
        port.close();
      });
      return;
    }
    // One at a time: batches run strictly one after another, each to its end; one posted early waits here.
    // (Unnamed arrows: see PlannedRead in execute-together.ts.)
    if (oneAtATime) queue = queue.then(() => runBatch(message));
    else queue = Promise.all([queue, runBatch(message)]).then(() => undefined);
  });
  port.postMessage({ type: 'ready' } satisfies WriterReply);
} catch (error) {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies WriterReply);
}
