// The WAL checkpointer thread (SQLite): copies what the write-ahead log holds into the database file
// on its own connection, so that no commit has to. Left to SQLite, the commit that crosses
// wal_autocheckpoint pages does it inline — about 11 ms, every ~40 ledger batches, during which
// that thread's next batch and every request in it wait. Started by startWalCheckpointer.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteFile, WriteTurn } from './sqlite-driver';

export interface CheckpointerData {
  filePath: string;
  writeTurn: SharedArrayBuffer;
  intervalMs: number;
}

export type CheckpointerRequest = { type: 'stop' };
export type CheckpointerReply = { type: 'ready' } | { type: 'stopped' } | { type: 'failed'; message: string };

/** What `PRAGMA wal_checkpoint` answers: whether it was stopped short, WAL frames, frames copied. */
interface CheckpointResult { busy: number; log: number; checkpointed: number }

const port = parentPort;
if (!port) throw new Error('wal-checkpointer-thread must run in a worker thread');
const { filePath, writeTurn, intervalMs } = workerData as CheckpointerData;
const database = openSqliteFile(filePath, { backgroundCheckpoints: true });
const turn = new WriteTurn(writeTurn);

function checkpoint(): void {
  // First pass beside the writers: copies every frame committed so far, while commits go on.
  const [first] = database.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
  if (!first || first.log === 0) return;
  // Again, still beside the writers: copies what was committed during the first pass, so that
  // little is left for the last one.
  database.pragma('wal_checkpoint(PASSIVE)');
  // Last pass holding this process's write turn, so no commit lands meanwhile: copies the few
  // frames committed since. With all of them copied, the next commit starts the WAL from its
  // beginning again; under constant writes a passive checkpoint alone never catches up and the
  // WAL would only grow. Commits wait for this pass (about one fsync of the database file).
  turn.take();
  try {
    database.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    turn.giveBack();
  }
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    // Say so, and go on: the connections' own safety-net checkpoints still bound the WAL.
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies CheckpointerReply);
  }
}, intervalMs);

port.postMessage({ type: 'ready' } satisfies CheckpointerReply);
port.on('message', (message: CheckpointerRequest) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  database.close();
  port.postMessage({ type: 'stopped' } satisfies CheckpointerReply);
  port.close();
});
