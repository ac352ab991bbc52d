// Runs one batch of ledger commands in ONE transaction (group commit). Commands run in memory
// against state loaded under the member row locks (LedgerBook), so a command that breaks a rule
// changes nothing and the others go on. When something unexpected breaks the batch it is rolled
// back and every command runs again alone, so one bad command never fails the others. A savepoint
// per command is not needed for that: no SQL runs between a batch's first read and its final writes.
//
// This file only talks to the store: it runs on the main thread or in the ledger writer thread.
import { hash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { flatMapped } from '../../domain/arrays';
import { DomainError, isDomainError, type ErrorCode } from '../../domain/errors';
import { startOfMonthMs } from '../../domain/ledger/expiry-policy';
import { LedgerBook, type LedgerClock, type MemberLedger } from '../../domain/ledger/ledger-book';
import type { LedgerCommand } from '../../domain/ledger/types';
import { ledgerSettingsFromRow } from '../../domain/merchants/merchant-settings';
import {
  addTransfersThisMonth, finishMemberLedgers, idempotencyRecordsRead, loadReservations, loadReversibleEarns, lockMembers, lockMembersWithVersionsRead, memberLedgersRead,
  owningMembersRead, transfersSinceRead, writeLedgerBook, type IdempotencyRecord, type LoadingLedgers,
} from '../../store/ledger-store';
import { answeredRead, combineReads, readOne, readTogether } from '../../store/execute-together';
import { merchantRead } from '../../store/merchant-store';
import type { Store } from '../../store/open-store';
import type { Database } from '../../store/schema';
import { retryOnConflict } from '../../store/retry';
import type { MemberLedgerCache } from './member-ledger-cache';
import { storeUnavailableError } from '../store-unavailable';
import { commandBodyJson, memberBalanceView, reservationView, transactionView, type BalanceView, type ReservationView, type TransactionView } from './points-views';

/** One command as the batch executor sees it: everything in it can cross a thread boundary. */
export interface BatchItem {
  command: LedgerCommand;
  idempotencyKey: string | null;
  operation: string;
  requestHash: string;
  successStatus: 200 | 201;
}

export interface LedgerCommandBody {
  transaction: TransactionView | null;
  reservation: ReservationView | null;
  /** The balance of the command's member right after it. */
  balance: BalanceView | null;
}

/**
 * A command's answer as it crosses from the writer thread: the body as the JSON the client gets.
 * A string costs next to nothing to post between threads, and the HTTP layer sends it as it is,
 * where a body object was cloned twice (to the main thread, then by the response serializer).
 */
export interface SettledCommand {
  statusCode: number;
  bodyJson: string;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** A command's answer: `body` is parsed from `bodyJson` when first read (callers that look inside). */
export class LedgerCommandResult implements SettledCommand {
  readonly statusCode: number;
  readonly bodyJson: string;
  readonly replayed: boolean;
  #body: LedgerCommandBody | undefined;

  constructor(settled: SettledCommand) {
    this.statusCode = settled.statusCode;
    this.bodyJson = settled.bodyJson;
    this.replayed = settled.replayed;
  }

  get body(): LedgerCommandBody {
    this.#body ??= JSON.parse(this.bodyJson) as LedgerCommandBody;
    return this.#body;
  }
}

/** Plain data, so it can be posted from the writer thread. */
export type BatchOutcome =
  | { ok: true; result: SettledCommand }
  | { ok: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> | undefined } }
  | { ok: false; internal: string };

/** Hooks for tests that inject failures inside the transaction. */
export interface PipelineFaults {
  /** Called inside the transaction after the commands ran and before anything is written. */
  beforeWrite?(items: readonly BatchItem[]): void;
}

export interface BatchDependencies {
  store: Store;
  /** Makes an id whose time part is `atMs` (id-generator.ts). */
  newId(prefix: string, atMs: number): string;
  /** Members' state kept between batches; only where the dialect can tell another writer's commits. */
  cache?: MemberLedgerCache | undefined;
  faults?: PipelineFaults | undefined;
  onBatchFailure?(error: unknown, batchSize: number): void;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Identifies a request's content, so a replay can be told from a reuse of its key. */
export function hashRequest(operation: string, body: unknown): string {
  return hash('sha256', `${operation}\n${canonicalJson(body)}`, 'base64url');
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

/**
 * Runs a batch: retries a transaction that hit a busy or serialization conflict, and when the
 * batch fails for another reason, runs each command alone. Never throws; each item gets an outcome.
 */
export async function runLedgerBatch(deps: BatchDependencies, merchantId: string, nowMs: number, items: BatchItem[]): Promise<BatchOutcome[]> {
  try {
    return await executeWithRetry(deps, merchantId, nowMs, items);
  } catch (error) {
    // A full disk or a lost server fails every command alike: running them one by one would only
    // hit it again, once per command.
    const outcome = failedOutcome(deps, error);
    if (items.length === 1 || ('error' in outcome && outcome.error.code === 'unavailable')) return items.map(() => outcome);
    deps.onBatchFailure?.(error, items.length);
    const outcomes: BatchOutcome[] = [];
    for (const item of items) {
      try {
        outcomes.push(...(await executeWithRetry(deps, merchantId, nowMs, [item])));
      } catch (singleError) {
        outcomes.push(failedOutcome(deps, singleError));
      }
    }
    return outcomes;
  }
}

function failedOutcome(deps: BatchDependencies, error: unknown): BatchOutcome {
  const domainError = isDomainError(error) ? error : storeUnavailableError(deps.store.dialect, error);
  if (domainError) return { ok: false, error: { code: domainError.code, message: domainError.message, details: domainError.details } };
  return { ok: false, internal: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

function executeWithRetry(deps: BatchDependencies, merchantId: string, nowMs: number, items: BatchItem[]): Promise<BatchOutcome[]> {
  return retryOnConflict(deps.store.dialect, () => executeOnce(deps, merchantId, nowMs, items));
}

async function executeOnce(deps: BatchDependencies, merchantId: string, nowMs: number, items: BatchItem[]): Promise<BatchOutcome[]> {
  const { db, dialect } = deps.store;
  // SQLite: kept state is good while no other connection has committed; batches one at a time.
  // PostgreSQL: a member's kept state is good while its ledger_version is the one kept with it.
  const countedCache = dialect.ledgerCacheCheck === 'change-counter' && dialect.readChangeCounter ? deps.cache : undefined;
  const versionedCache = dialect.ledgerCacheCheck === 'member-version' ? deps.cache : undefined;
  const touchedMemberIds = new Set<string>();
  let versionsAfter: Map<string, number> | undefined;
  countedCache?.acquire();
  try {
    const { outcomes, book } = await db.transaction().execute(async (trx) => {
      if (countedCache && dialect.readChangeCounter) countedCache.validate(await dialect.readChangeCounter(trx));
      const commands = items.map((item) => item.command);
      const reservationIds = flatMapped(commands, (c) => (c.type === 'commit_reservation' || c.type === 'void_reservation' ? [c.reservationId] : []));
      const reversedIds = flatMapped(commands, (c) => (c.type === 'reverse' ? [c.transactionId] : []));
      const commandMemberIds = flatMapped(commands, memberIdsOf);
      const keys = flatMapped(items, (item) => (item.idempotencyKey ? [item.idempotencyKey] : []));
      // Statements go out together where nothing between them depends on an answer (one round trip
      // each on PostgreSQL). Where members are locked (PostgreSQL), and when no owner needs looking
      // up first, the lock goes out with the merchant read, and what is read under the lock right
      // behind it: PostgreSQL runs a connection's statements one after another, and under READ
      // COMMITTED each takes its snapshot when it starts, so the reads after the lock see everything
      // its previous holder committed. Read there: the idempotency records, and the lots of the
      // members whose state is not kept (kept ones wait for their versions, which come with the
      // lock). The transfer totals need the merchant's settings: later.
      const lockNow = !countedCache && reservationIds.length === 0 && reversedIds.length === 0;
      const preloadIds = lockNow ? [...new Set(commandMemberIds)].filter((id) => !versionedCache?.holds(merchantId, id)) : [];
      const [merchant, owners, lockedNow, readUnderLock] = await readTogether(trx, [
        merchantRead(trx, merchantId),
        owningMembersRead(trx, merchantId, reservationIds, reversedIds),
        lockNow ? lockMembersWithVersionsRead(trx, dialect, merchantId, commandMemberIds) : answeredRead(null),
        lockNow ? underLockRead(trx, merchantId, keys, preloadIds) : answeredRead(null),
      ]);
      if (!merchant) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
      const settings = ledgerSettingsFromRow(merchant);
      const clock = new BatchClock(nowMs, deps.newId);
      const memberIds = new Set([...commandMemberIds, ...owners.reservationOwners.values(), ...owners.transactionOwners.values()]);
      memberIds.forEach((id) => touchedMemberIds.add(id));

      // Members whose kept state lacks what this batch needs are read fresh: a reversed earn's
      // spent lot, and what a sender has transferred this month under a monthly limit.
      const transferSenderIds = settings.transferMaxPointsPerMonth === null ? [] : flatMapped(commands, (c) => (c.type === 'transfer' ? [c.fromMemberId] : []));
      const mustLoad = new Set([...owners.transactionOwners.values(), ...transferSenderIds]);
      const cachable = [...memberIds].filter((id) => !mustLoad.has(id));
      const monthStartMs = startOfMonthMs(nowMs, settings.timeZone);
      let cached: MemberLedger[] = [];
      let storedRecords: Map<string, IdempotencyRecord>;
      let loading: LoadingLedgers;
      // Under the member locks: a duplicate delivered to another batch waits there, then replays here.
      if (countedCache) {
        const taken = countedCache.take(merchantId, cachable);
        cached = taken.cached;
        const existingMemberIds = await lockMembers(trx, dialect, merchantId, [...taken.missing, ...mustLoad]);
        [storedRecords, loading] = await readTogether(trx, [
          idempotencyRecordsRead(trx, merchantId, keys),
          memberLedgersRead(trx, merchantId, [...existingMemberIds], { monthStartMs, transferSenderIds }),
        ]);
      } else {
        const versions = lockedNow ?? await readOne(trx, lockMembersWithVersionsRead(trx, dialect, merchantId, [...memberIds]));
        if (versionedCache) versionsAfter = new Map([...versions].map(([id, version]) => [id, version + 1]));
        const preloaded = new Set(preloadIds);
        const candidates = cachable.filter((id) => versions.has(id) && !preloaded.has(id));
        const taken = versionedCache ? versionedCache.take(merchantId, candidates, versions) : { cached: [], missing: candidates };
        cached = taken.cached;
        const loadNow = [...new Set([...taken.missing, ...mustLoad])].filter((id) => versions.has(id) && !preloaded.has(id));
        const [records, loadedNow, preloadedTotals] = await readTogether(trx, [
          readUnderLock ? answeredRead(readUnderLock.records) : idempotencyRecordsRead(trx, merchantId, keys),
          memberLedgersRead(trx, merchantId, loadNow, { monthStartMs, transferSenderIds: transferSenderIds.filter((id) => !preloaded.has(id)) }),
          transfersSinceRead(trx, merchantId, transferSenderIds.filter((id) => preloaded.has(id)), monthStartMs),
        ]);
        storedRecords = records;
        loading = readUnderLock ? joinLoading(completePreloaded(readUnderLock.loading, versions, monthStartMs, preloadedTotals), loadedNow) : loadedNow;
      }

      const book = new LedgerBook(settings);
      const earns = await loadReversibleEarns(trx, merchantId, reversedIds);
      const loaded = await finishMemberLedgers(trx, merchantId, loading, flatMapped(earns, (earn) => (earn.lotId ? [earn.lotId] : [])));
      [...cached, ...loaded].forEach((ledger) => book.addMember(ledger));
      for (const reservation of await loadReservations(trx, merchantId, reservationIds.filter((id) => !book.reservations.has(id)))) {
        book.reservations.set(reservation.id, reservation);
      }
      for (const earn of earns) book.earns.set(earn.transactionId, earn);

      const newRecords = new Map<string, IdempotencyRecord>();
      const outcomes = items.map((item): BatchOutcome => {
        const key = item.idempotencyKey;
        const earlier = key ? storedRecords.get(key) ?? newRecords.get(key) : undefined;
        if (earlier) return replay(earlier, item);
        try {
          const outcome = book.apply(item.command, clock, key);
          const member = book.members.get(outcome.transaction?.memberId ?? memberIdsOf(item.command)[0] ?? '');
          const body: LedgerCommandBody = {
            transaction: outcome.transaction ? transactionView(outcome.transaction) : null,
            reservation: outcome.reservation ? reservationView(outcome.reservation) : null,
            balance: member ? memberBalanceView(member, nowMs, settings.timeZone) : null,
          };
          const bodyJson = commandBodyJson(body);
          if (key) {
            newRecords.set(key, {
              idempotencyKey: key, operation: item.operation, requestHash: item.requestHash,
              statusCode: item.successStatus, responseJson: bodyJson, createdAtMs: nowMs,
            });
          }
          return { ok: true, result: { statusCode: item.successStatus, bodyJson, replayed: false } };
        } catch (error) {
          if (isDomainError(error)) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
          throw error;
        }
      });

      deps.faults?.beforeWrite?.(items);
      // Last in the transaction, so on PostgreSQL the COMMIT goes out with the writes.
      // Versions are raised whether or not this writer keeps state: another server's writer may.
      await writeLedgerBook(trx, dialect, merchantId, book, [...newRecords.values()], {
        lastInTransaction: true, raiseLedgerVersionsOf: dialect.ledgerCacheCheck === 'member-version' ? [...book.members.keys()] : [],
      });
      return { outcomes, book };
    });
    deps.cache?.remember(merchantId, book.members, book.closedLots, versionsAfter);
    return outcomes;
  } catch (error) {
    // The batch's copies may be half-applied; what the cache holds is untouched, but be sure.
    deps.cache?.forget(merchantId, touchedMemberIds);
    throw error;
  } finally {
    countedCache?.release();
  }
}

/**
 * The batch's time, and ids stamped with it: a transaction's id then never sorts before its
 * created_at_ms, which is how the store finds a period's transactions (transfersSinceRead).
 */
class BatchClock implements LedgerClock {
  constructor(readonly nowMs: number, private readonly makeId: (prefix: string, atMs: number) => string) {}

  newId(prefix: string): string {
    return this.makeId(prefix, this.nowMs);
  }
}

/** The idempotency records and members' ledgers, read right behind the member locks. */
function underLockRead(trx: Transaction<Database>, merchantId: string, keys: string[], memberIds: string[]) {
  return combineReads([
    idempotencyRecordsRead(trx, merchantId, keys),
    memberLedgersRead(trx, merchantId, memberIds, { monthStartMs: 0, transferSenderIds: [] }),
  ], ([records, loading]) => ({ records, loading }));
}

/**
 * Finishes what underLockRead read before the merchant's settings were known: drops members that
 * do not exist (absent from `versions`), dates each ledger's month and adds the transfer totals.
 */
function completePreloaded(loading: LoadingLedgers, versions: ReadonlyMap<string, number>, monthStartMs: number, transferTotals: Map<string, number>): LoadingLedgers {
  const { ledgers } = loading;
  for (const memberId of [...ledgers.keys()]) {
    if (!versions.has(memberId)) ledgers.delete(memberId);
  }
  for (const ledger of ledgers.values()) ledger.monthStartMs = monthStartMs;
  addTransfersThisMonth(ledgers, transferTotals);
  return loading;
}

/** Two first reads of disjoint members as one. */
function joinLoading(first: LoadingLedgers, second: LoadingLedgers): LoadingLedgers {
  if (second.ledgers.size === 0) return first;
  return {
    ledgers: new Map([...first.ledgers, ...second.ledgers]),
    seenLotIds: new Set([...first.seenLotIds, ...second.seenLotIds]),
    heldReservationIds: [...first.heldReservationIds, ...second.heldReservationIds],
  };
}

function replay(record: IdempotencyRecord, item: BatchItem): BatchOutcome {
  if (record.operation !== item.operation || record.requestHash !== item.requestHash) {
    return { ok: false, error: { code: 'idempotency_key_reused', message: 'This Idempotency-Key was already used for a different request', details: { operation: record.operation } } };
  }
  return { ok: true, result: { statusCode: record.statusCode, bodyJson: record.responseJson, replayed: true } };
}
