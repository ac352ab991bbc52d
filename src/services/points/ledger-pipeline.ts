// Group commit for the points ledger. Commands that arrive while the store is busy queue up, and
// each batch runs in ONE transaction: one fsync on SQLite and one round of row locks on PostgreSQL
// for up to maxBatchSize commands. Commands run in memory against state loaded under the lock
// (LedgerBook), so a command that fails a rule changes nothing and the others go on; when
// something unexpected breaks the batch, it is rolled back and every command is run again alone,
// so one bad command never fails the others. A savepoint per command is not needed for that:
// no SQL runs between the first read and the final writes of a batch.
import { createHash } from 'node:crypto';
import { DomainError, isDomainError } from '../../domain/errors';
import { startOfMonthMs } from '../../domain/ledger/expiry-policy';
import { LedgerBook, type LedgerClock } from '../../domain/ledger/ledger-book';
import type { LedgerCommand } from '../../domain/ledger/types';
import { ledgerSettingsFromRow } from '../../domain/merchants/merchant-settings';
import {
  findIdempotencyRecords, findOwningMembers, loadMemberLedgers, loadReservations, loadReversibleEarns, lockMembers,
  writeLedgerBook, type IdempotencyRecord,
} from '../../store/ledger-store';
import { findMerchantById } from '../../store/merchant-store';
import type { ServiceContext } from '../context';
import { memberBalanceView, reservationView, transactionView, type BalanceView, type ReservationView, type TransactionView } from './points-views';

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

export interface LedgerCommandBody {
  transaction: TransactionView | null;
  reservation: ReservationView | null;
  /** The balance of the command's member right after it. */
  balance: BalanceView | null;
}

export interface LedgerCommandResult {
  statusCode: number;
  body: LedgerCommandBody;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** Hooks for tests that inject failures inside the transaction. */
export interface PipelineFaults {
  /** Called inside the transaction after the commands ran and before anything is written. */
  beforeWrite?(requests: readonly LedgerCommandRequest[]): void;
}

interface Pending {
  request: LedgerCommandRequest;
  requestHash: string;
  resolve(result: LedgerCommandResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: LedgerCommandResult } | { ok: false; error: DomainError };

const maxAttempts = 5;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function hashRequest(operation: string, body: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(body)).digest('base64url');
}

function memberIdsOf(command: LedgerCommand): string[] {
  switch (command.type) {
    case 'transfer':
      return [command.fromMemberId, command.toMemberId];
    case 'reverse':
    case 'commit_reservation':
    case 'void_reservation':
      return [];
    default:
      return [command.memberId];
  }
}

export class LedgerPipeline {
  private readonly queues = new Map<string, Pending[]>();
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatchSize: number;
  private readonly faults: PipelineFaults | undefined;
  private idle: (() => void)[] = [];

  constructor(private readonly ctx: ServiceContext, options: { faults?: PipelineFaults | undefined; maxBatchSize?: number | undefined } = {}) {
    this.maxBatchSize = options.maxBatchSize ?? 256;
    this.faults = options.faults;
  }

  /** Queues a command and resolves once its batch has committed (or rejects with its DomainError). */
  submit(request: LedgerCommandRequest): Promise<LedgerCommandResult> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { request, requestHash: hashRequest(request.operation, request.requestBody), resolve, reject };
      const queue = this.queues.get(request.merchantId);
      if (queue) queue.push(pending);
      else this.queues.set(request.merchantId, [pending]);
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

  /** Resolves when no command is queued or running: for graceful shutdown. */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queues.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    const concurrency = this.ctx.store.dialect.concurrentWriteTransactions;
    while (this.inFlight < concurrency && this.queues.size > 0) {
      const [merchantId, queue] = this.queues.entries().next().value as [string, Pending[]];
      const batch = queue.splice(0, this.maxBatchSize);
      // Round-robin: a merchant with more work goes to the back of the line.
      this.queues.delete(merchantId);
      if (queue.length > 0) this.queues.set(merchantId, queue);
      this.inFlight += 1;
      void this.runBatch(merchantId, batch).finally(() => {
        this.inFlight -= 1;
        if (this.queues.size > 0) this.pump();
        else if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  private async runBatch(merchantId: string, batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.executeWithRetry(merchantId, batch);
      outcomes.forEach((outcome, index) => settle(batch[index] as Pending, outcome));
    } catch (error) {
      if (batch.length === 1) {
        (batch[0] as Pending).reject(error);
        return;
      }
      this.ctx.logger.warn({ err: error, batchSize: batch.length }, 'ledger batch failed; running its commands one by one');
      for (const pending of batch) {
        try {
          const [outcome] = await this.executeWithRetry(merchantId, [pending]);
          settle(pending, outcome as Outcome);
        } catch (singleError) {
          pending.reject(singleError);
        }
      }
    }
  }

  private async executeWithRetry(merchantId: string, batch: Pending[]): Promise<Outcome[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.execute(merchantId, batch);
      } catch (error) {
        if (attempt >= maxAttempts || !this.ctx.store.dialect.isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 5 * Math.random()));
      }
    }
  }

  private execute(merchantId: string, batch: Pending[]): Promise<Outcome[]> {
    const { db, dialect } = this.ctx.store;
    return db.transaction().execute(async (trx) => {
      const merchant = await findMerchantById(trx, merchantId);
      if (!merchant) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
      const settings = ledgerSettingsFromRow(merchant);
      const nowMs = this.ctx.nowMs();
      const clock: LedgerClock = { nowMs, newId: this.ctx.newId };

      const commands = batch.map((pending) => pending.request.command);
      const reservationIds = commands.flatMap((c) => (c.type === 'commit_reservation' || c.type === 'void_reservation' ? [c.reservationId] : []));
      const reversedIds = commands.flatMap((c) => (c.type === 'reverse' ? [c.transactionId] : []));
      const owners = await findOwningMembers(trx, merchantId, reservationIds, reversedIds);
      const memberIds = new Set([...commands.flatMap(memberIdsOf), ...owners.reservationOwners.values(), ...owners.transactionOwners.values()]);
      const existingMemberIds = await lockMembers(trx, dialect, merchantId, [...memberIds]);

      // Looked up under the member locks, so a duplicate delivered to another batch waits and then replays.
      const keys = batch.flatMap((pending) => (pending.request.idempotencyKey ? [pending.request.idempotencyKey] : []));
      const storedRecords = await findIdempotencyRecords(trx, merchantId, keys);

      const book = new LedgerBook(settings);
      const ledgers = await loadMemberLedgers(trx, merchantId, [...existingMemberIds], {
        extraLotSourceTransactionIds: reversedIds,
        monthStartMs: startOfMonthMs(nowMs, settings.timeZone),
        withTransferTotals: commands.some((c) => c.type === 'transfer'),
      });
      ledgers.forEach((ledger) => book.addMember(ledger));
      for (const reservation of await loadReservations(trx, merchantId, reservationIds.filter((id) => !book.reservations.has(id)))) {
        book.reservations.set(reservation.id, reservation);
      }
      for (const earn of await loadReversibleEarns(trx, merchantId, reversedIds)) book.earns.set(earn.transactionId, earn);

      const newRecords = new Map<string, IdempotencyRecord>();
      const outcomes: Outcome[] = batch.map((pending) => {
        const { request } = pending;
        const key = request.idempotencyKey ?? null;
        const earlier = key ? storedRecords.get(key) ?? newRecords.get(key) : undefined;
        if (earlier) return replay(earlier, request, pending.requestHash);
        try {
          const outcome = book.apply(request.command, clock, key);
          const member = book.members.get(outcome.transaction?.memberId ?? memberIdsOf(request.command)[0] ?? '');
          const body: LedgerCommandBody = {
            transaction: outcome.transaction ? transactionView(outcome.transaction) : null,
            reservation: outcome.reservation ? reservationView(outcome.reservation) : null,
            balance: member ? memberBalanceView(member, nowMs, settings.timeZone) : null,
          };
          const result = { statusCode: request.successStatus, body, replayed: false };
          if (key) {
            newRecords.set(key, {
              idempotencyKey: key, operation: request.operation, requestHash: pending.requestHash,
              statusCode: result.statusCode, responseJson: JSON.stringify(body), createdAtMs: nowMs,
            });
          }
          return { ok: true, result };
        } catch (error) {
          if (isDomainError(error)) return { ok: false, error };
          throw error;
        }
      });

      this.faults?.beforeWrite?.(batch.map((pending) => pending.request));
      await writeLedgerBook(trx, dialect, merchantId, book, [...newRecords.values()]);
      return outcomes;
    });
  }
}

function replay(record: IdempotencyRecord, request: LedgerCommandRequest, requestHash: string): Outcome {
  if (record.operation !== request.operation || record.requestHash !== requestHash) {
    return {
      ok: false,
      error: new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request', { operation: record.operation }),
    };
  }
  return { ok: true, result: { statusCode: record.statusCode, body: JSON.parse(record.responseJson) as LedgerCommandBody, replayed: true } };
}

function settle(pending: Pending, outcome: Outcome): void {
  if (outcome.ok) pending.resolve(outcome.result);
  else pending.reject(outcome.error);
}
