import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Store } from '../store/open-store';
import { AnalyticsIndexes } from './analytics/analytics-indexes';
import { BackgroundWork } from './background-work';
import { storeEventBatches, type ParsedBatch } from './events/ingest-events';
import { GroupCommitQueue } from './group-commit-queue';
import { createIdGenerator } from './id-generator';
import { inThreadExecutor, LedgerPipeline, type LedgerBatchExecutor, type PipelineFaults } from './points/ledger-pipeline';

/** What every use case receives: the store, a clock, an id generator and the ledger's commit queue. */
export interface ServiceContext {
  store: Store;
  nowMs(): number;
  /** A new id `<prefix>_<ulid>`; its time part is now, or `atMs` (id-generator.ts). */
  newId(prefix: string, atMs?: number): string;
  logger: Logger;
  ledger: LedgerPipeline;
  /** Group commit for ingested events: batches that arrive together share a transaction. */
  ingest: GroupCommitQueue<ParsedBatch, number>;
  /** Each merchant's in-memory analytics index, kept current from the store. */
  analytics: AnalyticsIndexes;
  /** Where uploaded photos and videos are kept. */
  uploadsDir: string;
  /** Work that follows a command after its answer; a shutdown waits for it before closing the store. */
  background: BackgroundWork;
}

export interface ServiceContextOptions {
  nowMs?: () => number;
  logger?: Logger;
  faults?: PipelineFaults;
  maxBatchSize?: number;
  /** Run ledger batches elsewhere (the writer thread); by default they run on this thread. */
  ledgerExecutor?: LedgerBatchExecutor;
  /** Default: `uploads` under the SQLite data directory (DATA_DIR), or the system's temp directory. */
  uploadsDir?: string;
}

export function createServiceContext(store: Store, options: ServiceContextOptions = {}): ServiceContext {
  const nowMs = options.nowMs ?? (() => Date.now());
  // Ids take the real time (not the injected clock) unless given one; they increase either way, which
  // keeps cursors stable in tests too. The ledger stamps a batch's ids with its clock (execute-ledger-batch.ts).
  const newId = createIdGenerator();
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const executor = options.ledgerExecutor ?? inThreadExecutor({ store, newId, logger, faults: options.faults });
  const ctx: ServiceContext = {
    store, nowMs, newId, logger, ledger: new LedgerPipeline(executor, nowMs, options.maxBatchSize), analytics: new AnalyticsIndexes(store, nowMs),
    uploadsDir: options.uploadsDir ?? path.join(store.config.dataDir ?? path.join(os.tmpdir(), 'sentang'), 'uploads'),
    background: new BackgroundWork(logger),
    ingest: new GroupCommitQueue({
      maxConcurrentGroups: store.dialect.ingestGroups.concurrent,
      run: (merchantId, batches) => storeEventBatches(ctx, merchantId, batches),
    }, store.dialect.ingestGroups.maxEvents, (batch) => batch.length),
  };
  return ctx;
}
