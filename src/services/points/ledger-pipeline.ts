// Group commit for the points ledger: commands that arrive while the store is busy queue up and
// go to the store together, one transaction per batch (see execute-ledger-batch.ts). The batch runs
// on this thread, or in the ledger writer thread, where a SQLite fsync no longer stops this
// thread from reading the next requests while the previous batch commits.
import { DomainError } from '../../domain/errors';
import type { LedgerCommand } from '../../domain/ledger/types';
import type { Logger } from 'pino';
import type { Store } from '../../store/open-store';
import { MemberLedgerCache } from './member-ledger-cache';
import { hashRequest, runLedgerBatch, type BatchItem, type BatchOutcome, type LedgerCommandResult, type PipelineFaults } from './execute-ledger-batch';

export type { LedgerCommandResult, LedgerCommandBody, PipelineFaults } from './execute-ledger-batch';

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
  run(merchantId: string, nowMs: number, items: BatchItem[]): Promise<BatchOutcome[]>;
  close(): Promise<void>;
}

export function inThreadExecutor(deps: { store: Store; newId(prefix: string): string; logger: Logger; faults?: PipelineFaults | undefined }): LedgerBatchExecutor {
  const cache = deps.store.dialect.readChangeCounter ? new MemberLedgerCache() : undefined;
  return {
    maxConcurrentBatches: deps.store.dialect.concurrentWriteTransactions,
    run: (merchantId, nowMs, items) => runLedgerBatch({
      store: deps.store, newId: deps.newId, faults: deps.faults, cache,
      onBatchFailure: (error, batchSize) => deps.logger.warn({ err: error, batchSize }, 'ledger batch failed; running its commands one by one'),
    }, merchantId, nowMs, items),
    close: async () => undefined,
  };
}

interface Pending {
  item: BatchItem;
  resolve(result: LedgerCommandResult): void;
  reject(error: unknown): void;
}

export class LedgerPipeline {
  private readonly queues = new Map<string, Pending[]>();
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly executor: LedgerBatchExecutor,
    private readonly nowMs: () => number,
    private readonly maxBatchSize = 256,
  ) {}

  /** Queues a command and resolves once its batch has committed; rejects with its DomainError. */
  submit(request: LedgerCommandRequest): Promise<LedgerCommandResult> {
    return new Promise((resolve, reject) => {
      const item: BatchItem = {
        command: request.command,
        idempotencyKey: request.idempotencyKey ?? null,
        operation: request.operation,
        // Only a keyed command can be replayed, so only its content needs a fingerprint.
        requestHash: request.idempotencyKey ? hashRequest(request.operation, request.requestBody) : '',
        successStatus: request.successStatus,
      };
      const queue = this.queues.get(request.merchantId);
      if (queue) queue.push({ item, resolve, reject });
      else this.queues.set(request.merchantId, [{ item, resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // Let the requests that arrived in this turn of the event loop join the batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves when no command is queued or running. */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queues.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.drain();
    await this.executor.close();
  }

  private pump(): void {
    while (this.inFlight < this.executor.maxConcurrentBatches && this.queues.size > 0) {
      const [merchantId, queue] = this.queues.entries().next().value as [string, Pending[]];
      const batch = queue.splice(0, this.maxBatchSize);
      // Round-robin: a merchant with more work goes to the back of the line.
      this.queues.delete(merchantId);
      if (queue.length > 0) this.queues.set(merchantId, queue);
      this.inFlight += 1;
      this.executor.run(merchantId, this.nowMs(), batch.map((pending) => pending.item))
        .then((outcomes) => outcomes.forEach((outcome, index) => settle(batch[index] as Pending, outcome)))
        .catch((error: unknown) => batch.forEach((pending) => pending.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          if (this.queues.size > 0) this.pump();
          else if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
        });
    }
  }
}

function settle(pending: Pending, outcome: BatchOutcome): void {
  if (outcome.ok) pending.resolve(outcome.result);
  else if ('error' in outcome) pending.reject(new DomainError(outcome.error.code, outcome.error.message, outcome.error.details));
  else pending.reject(new Error(`ledger batch failed: ${outcome.internal}`));
}
