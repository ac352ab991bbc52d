// The services as `sentang serve` runs them: the store, the ledger writer thread and, on SQLite,
// the WAL checkpointer thread. In one place so that what measures the services without HTTP
// (`npm run bench -- ledger`, in-process) runs them as the server does: with the defaults of
// createServiceContext — batches on the calling thread, checkpoints inside commits — a 4,000-page
// checkpoint stalled every command for ~30 ms about ten times a second (in-process p99 34–38 ms
// against 14 ms as the server runs).
import type { Logger } from 'pino';
import { openStore, type Store } from '../store/open-store';
import { startWalCheckpointer, type WalCheckpointer } from '../store/start-wal-checkpointer';
import { createServiceContext, type ServiceContext } from './context';
import { startLedgerWriterThread } from './points/start-ledger-writer-thread';

/**
 * Once a second: the hot index pages a group commit touches are rewritten many times a second, and
 * a checkpoint copies each page once however often it changed (see SQLITE_CHECKPOINT_MS in config.ts).
 */
export const defaultSqliteCheckpointIntervalMs = 1000;

/** How long a stop waits for the work that follows answered commands before closing the store anyway. */
const backgroundFinishMs = 10_000;

export interface ServicesConfig {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Run ledger batches in a thread of their own (the default), or on the calling thread. */
  ledgerWriterThread?: boolean | undefined;
  /** SQLite: how often the checkpointer thread copies the WAL into the database file; 0 leaves it to the commits. */
  sqliteCheckpointIntervalMs?: number | undefined;
  logger: Logger;
}

export interface RunningServices {
  store: Store;
  ctx: ServiceContext;
  /**
   * Lets the work that follows answered commands finish, commits what is queued, then stops the
   * writer and checkpointer threads and closes the store.
   */
  stop(): Promise<void>;
}

export async function startServices(config: ServicesConfig): Promise<RunningServices> {
  const checkpointIntervalMs = config.sqliteCheckpointIntervalMs ?? defaultSqliteCheckpointIntervalMs;
  const backgroundCheckpoints = checkpointIntervalMs > 0;
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, backgroundCheckpoints });
  let ctx: ServiceContext | undefined;
  let checkpointer: WalCheckpointer | undefined;
  const stop = async () => {
    // What follows answered commands (tier upgrades, awards, sweeps) may still use the store.
    if (ctx && !(await ctx.background.finish(backgroundFinishMs))) {
      config.logger.warn({ stillRunning: ctx.background.pending }, `background work still running after ${backgroundFinishMs / 1000} s; closing the store under it (pending awards and tier upgrades are caught up by the sweeps after the next start)`);
    }
    await ctx?.ledger.close(); // commits what is queued and stops the writer thread
    await checkpointer?.stop();
    await store.close();
  };
  try {
    if (store.performanceWarning) config.logger.warn(store.performanceWarning);
    const ledgerExecutor = config.ledgerWriterThread === false ? undefined : await startLedgerWriterThread(store, { logger: config.logger });
    ctx = createServiceContext(store, { ledgerExecutor, logger: config.logger });
    // SQLite: the WAL is copied into the database file by a thread of its own, not by a commit.
    if (store.dialect.checkpointsInProcess && backgroundCheckpoints) checkpointer = await startWalCheckpointer(store, checkpointIntervalMs, config.logger);
    return { store, ctx, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
