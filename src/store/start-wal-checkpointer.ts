import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Store } from './open-store';
import type { CheckpointerData, CheckpointerReply, CheckpointerRequest } from './wal-checkpointer-thread';

export interface WalCheckpointer {
  /** Stops the thread (after the checkpoint it may be in) and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts the WAL checkpointer thread for a SQLite store opened with `backgroundCheckpoints`: every
 * `intervalMs` it copies the WAL into the database file and lets the WAL start over (see
 * wal-checkpointer-thread.ts). Resolves once the thread has its connection.
 */
export async function startWalCheckpointer(store: Store, intervalMs: number, logger: Logger): Promise<WalCheckpointer> {
  if (!store.dialect.checkpointsInProcess || !store.writeTurn || !store.config.backgroundCheckpoints) {
    throw new Error('background checkpoints need a SQLite store opened with backgroundCheckpoints');
  }
  const data: CheckpointerData = { filePath: store.location, writeTurn: store.writeTurn, intervalMs };
  const worker = new Worker(new URL('./wal-checkpointer-bootstrap.mjs', import.meta.url), { workerData: data });
  let stopped: (() => void) | undefined;
  let exited = false;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: CheckpointerReply) => {
      if (reply.type === 'ready') resolve();
      else if (reply.type === 'stopped') stopped?.();
      else logger.warn({ reason: reply.message }, 'WAL checkpoint failed; the next one tries again');
    });
    worker.on('error', (error) => {
      logger.error({ err: error }, 'the WAL checkpointer thread failed; commits checkpoint themselves past the safety mark');
      reject(error);
    });
    worker.on('exit', () => {
      exited = true;
      stopped?.();
      reject(new Error('the WAL checkpointer thread stopped before it was ready'));
    });
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      if (exited) return resolve();
      stopped = resolve;
      worker.postMessage({ type: 'stop' } satisfies CheckpointerRequest);
    }),
  };
}
