// The WAL checkpointer thread (SQLite): copies what the write-ahead log holds into the database file
// on its own connection, so that no commit has to. Left to SQLite, the commit that crosses
// wal_autocheckpoint pages does it inline — about 11 ms, every ~40 ledger batches, during which
// that thread's next batch and every request in it wait. Started by startWalCheckpointer.
import { closeSync, fsyncSync, openSync } from 'node:fs';
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

/** Passes beside the writers at most, before the last one that holds the write turn. */
const maxPassesBesideWriters = 4;
/** Committed during a pass: few enough that the next pass is the last (~2 ledger batches). */
const fewFrames = 256;

// The database file, for fsyncs of our own. SQLite syncs it only in a pass that copies the whole
// WAL — under constant writes, only the last pass, which holds the write turn: that one fsync then
// wrote everything the passes before had copied, and every commit of the process waited for it
// (7–50 ms, once a second; the p99 of `npm run bench -- ledger` was those stalls). Synced after
// each pass beside the writers, it leaves the last pass only its own few pages to write (4–17 ms).
const databaseFd = openSync(filePath, 'r');

function checkpoint(): void {
  // Passes beside the writers: the first copies every frame committed so far, each next one what
  // was committed during the pass before, until that was little.
  let [latest] = database.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
  if (!latest || latest.log === 0) return;
  fsyncSync(databaseFd);
  for (let pass = 1; pass < maxPassesBesideWriters; pass += 1) {
    const [next] = database.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
    if (!next) break;
    // A smaller count means the WAL started over meanwhile: nothing is left to catch up with.
    const committedDuringLastPass = next.log - latest.log;
    latest = next;
    fsyncSync(databaseFd);
    if (committedDuringLastPass <= fewFrames) break;
  }
  // Last pass holding this process's write turn, so no commit lands meanwhile: copies the few
  // frames committed since. With all of them copied, the next commit starts the WAL from its
  // beginning again; under constant writes a passive checkpoint alone never catches up and the
  // WAL would only grow. Commits wait for this pass (its frames and one fsync of the database file).
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
  closeSync(databaseFd);
  port.postMessage({ type: 'stopped' } satisfies CheckpointerReply);
  port.close();
});
