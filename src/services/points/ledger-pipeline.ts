// Group commit for the points ledger: commands that arrive while the store is busy queue up and
// go to the store together, one transaction per batch (see execute-ledger-batch.ts). The batch runs
// on this thread, or in the ledger writer thread, where a SQLite fsync no longer stops this
// thread from reading the next requests while the previous batch commits.
import { DomainError } from '../../domain/errors';
import type { LedgerCommand } from '../../domain/ledger/types';
import type { Logger } from 'pino';
import type { Store } from '../../store/open-store';
import { GroupCommitQueue, type Settled } from '../group-commit-queue';
import { MemberLedgerCache } from './member-ledger-cache';
import { hashRequest, LedgerCommandResult, runLedgerBatch, type BatchItem, type BatchOutcome, type PipelineFaults } from './execute-ledger-batch';

export { LedgerCommandResult } from './execute-ledger-batch';
export type { LedgerCommandBody, PipelineFaults } from './execute-ledger-batch';

export interface LedgerCommandRequest {
  merchantId: string;
  command: LedgerCommand;
  /** The client's Idempotency-Key; without one the command is not deduplicated. */
  idempotencyKey?: string | null | undefined;
  /** Names the operation, so one key reused for another operation is caught. */
  operation: string;
  /** The request as the client sent it: a replay must send the same. */
  requestBody: unknown;
  successStatus: 200 | 201;
}

/** Where batches run: on this thread or in the writer thread. */
export interface LedgerBatchExecutor {
  readonly maxConcurrentBatches: number;
  /** How many commands a batch needs to go out while another runs (see GroupRunner). */
  readonly minBatchSizeBesideRunning?: number | undefined;
  run(merchantId: string, nowMs: number, items: BatchItem[]): Promise<BatchOutcome[]>;
  close(): Promise<void>;
  /** Why batches can no longer run (the writer thread stopped), or null while they can. */
  failure?(): Error | null;
}

export function inThreadExecutor(deps: { store: Store; newId(prefix: string, atMs: number): string; logger: Logger; faults?: PipelineFaults | undefined }): LedgerBatchExecutor {
  const cache = new MemberLedgerCache();
  return {
    maxConcurrentBatches: deps.store.dialect.concurrentWriteTransactions,
    run: (merchantId, nowMs, items) => runLedgerBatch({
      store: deps.store, newId: deps.newId, faults: deps.faults, cache,
      onBatchFailure: (error, batchSize) => deps.logger.warn({ err: error, batchSize }, 'ledger batch failed; running its commands one by one'),
    }, merchantId, nowMs, items),
    close: async () => undefined,
  };
}

/** Queues ledger commands and runs them in group commits (see group-commit-queue.ts). */
export class LedgerPipeline {
  private readonly queue: GroupCommitQueue<BatchItem, LedgerCommandResult>;

  constructor(
    private readonly executor: LedgerBatchExecutor,
    nowMs: () => number,
    maxBatchSize = 256,
  ) {
    this.queue = new GroupCommitQueue({
      maxConcurrentGroups: executor.maxConcurrentBatches,
      minWeightBesideRunning: executor.minBatchSizeBesideRunning,
      run: async (merchantId, items) => (await executor.run(merchantId, nowMs(), items)).map(settled),
    }, maxBatchSize);
  }

  /** Queues a command and resolves once its batch has committed; rejects with its DomainError. */
  submit(request: LedgerCommandRequest): Promise<LedgerCommandResult> {
    return this.queue.submit(request.merchantId, {
      command: request.command,
      idempotencyKey: request.idempotencyKey ?? null,
      operation: request.operation,
      // Only a keyed command can be replayed, so only its content needs a fingerprint.
      requestHash: request.idempotencyKey ? hashRequest(request.operation, request.requestBody) : '',
      successStatus: request.successStatus,
    });
  }

  /** Resolves when no command is queued or running. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** Why commands can no longer be written, or null while they can (see /healthz). */
  failure(): Error | null {
    return this.executor.failure?.() ?? null;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.executor.close();
  }
}

function settled(outcome: BatchOutcome): Settled<LedgerCommandResult> {
  if (outcome.ok) return { ok: true, value: new LedgerCommandResult(outcome.result) };
  if ('error' in outcome) return { ok: false, error: new DomainError(outcome.error.code, outcome.error.message, outcome.error.details) };
  return { ok: false, error: new Error(`ledger batch failed: ${outcome.internal}`) };
}
