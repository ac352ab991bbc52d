// Every SQL statement of the points ledger. Functions take the transaction (or db) they run in.
// Conditions that match a partial index are written as literals (sql.lit): a bound parameter
// would keep the planner from proving the index's WHERE clause and it would scan instead.
import { sql, type CompiledQuery, type Insertable, type InsertQueryBuilder, type InsertResult, type Kysely, type Transaction } from 'kysely';
import { addStoredLot, newMemberLedger, type MemberLedger, type ReversibleEarn, type LedgerBook } from '../domain/ledger/ledger-book';
import { compareLotsForSpending } from '../domain/ledger/allocate-lots';
import { isOpenLot, transactionIdPrefix, type Account, type LedgerTransaction, type Lot, type Reservation, type ReservationStatus, type TransactionKind } from '../domain/ledger/types';
import { flatMapped } from '../domain/arrays';
import { firstIdMadeAt } from '../domain/ids';
import { chunk } from './chunk';
import { compileInsertJsonRows, compileInsertRows } from './insert-rows';
import type { StoreDialect } from './dialect';
import { answeredRead, combineReads, executeTogether, mapRead, readOne, rowsRead, type PlannedRead } from './execute-together';
import type { Database, PointLotsTable, PointsTransactionsTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export interface IdempotencyRecord {
  idempotencyKey: string;
  operation: string;
  requestHash: string;
  statusCode: number;
  responseJson: string;
  createdAtMs: number;
}

type LedgerTable = 'points_transactions' | 'ledger_entries' | 'point_lots' | 'reservations' | 'reservation_lots' | 'idempotency_records';
type LedgerInsert<Table extends LedgerTable> = InsertQueryBuilder<Database, Table, InsertResult>;

/**
 * The multi-row inserts that write `rows` into `table`, `conflict` adding what to do on a
 * conflicting key; none for no rows. As one JSON parameter where the dialect inserts rows so;
 * otherwise as VALUES, split so that no statement carries more bind parameters than the dialect
 * allows. Either way compiled once per shape (insert-rows.ts).
 */
function insertStatements<Table extends LedgerTable>(
  trx: Executor, dialect: StoreDialect, table: Table, shape: string, rows: Insertable<Database[Table]>[], conflict?: (insert: LedgerInsert<Table>) => LedgerInsert<Table>,
): CompiledQuery[] {
  if (rows.length === 0) return [];
  if (dialect.insertsRowsAsJson) {
    const asJson = compileInsertJsonRows(dialect, shape, rows, (columns, json) => finishInsert(dialect, conflict, trx.insertInto(table).columns(columns as never)
      .expression(sql`select ${sql.join(columns.map((column) => sql.ref(column)))} from json_populate_recordset(null::${sql.table(table)}, ${json})`)));
    if (asJson) return [asJson];
  }
  const columns = Object.keys(rows[0] as object).length;
  return chunk(rows, Math.max(1, Math.floor(dialect.maxBindParameters / columns)))
    .map((page) => compileInsertRows(dialect, shape, page, (pageRows) => finishInsert(dialect, conflict, trx.insertInto(table).values(pageRows))));
}

// A module-level function, not an arrow made per call: see PlannedRead in execute-together.ts.
function finishInsert<Table extends LedgerTable>(dialect: StoreDialect, conflict: ((insert: LedgerInsert<Table>) => LedgerInsert<Table>) | undefined, insert: LedgerInsert<Table>): CompiledQuery {
  return dialect.failsWholeTransaction(conflict ? conflict(insert) : insert).compile();
}

export function lotFromRow(row: PointLotsTable): Lot {
  return {
    id: row.id, memberId: row.member_id, sourceTransactionId: row.source_transaction_id,
    pointsOriginal: row.points_original, pointsRemaining: row.points_remaining,
    availableAtMs: row.available_at_ms, expiresAtMs: row.expires_at_ms, createdAtMs: row.created_at_ms,
  };
}

/** Which member each referenced reservation and earn belongs to; a member id never changes, so no lock is needed. */
export function owningMembersRead(trx: Executor, merchantId: string, reservationIds: string[], transactionIds: string[]) {
  return combineReads([
    reservationIds.length === 0 ? answeredRead([]) : rowsRead([trx.selectFrom('reservations').select(['id', 'member_id'])
      .where('merchant_id', '=', merchantId).where('id', 'in', reservationIds)]),
    transactionIds.length === 0 ? answeredRead([]) : rowsRead([trx.selectFrom('points_transactions').select(['id', 'member_id'])
      .where('merchant_id', '=', merchantId).where('id', 'in', transactionIds)]),
  ], ([reservations, transactions]) => ({ reservationOwners: ownersById(reservations), transactionOwners: ownersById(transactions) }));
}

function ownersById(rows: { id: string; member_id: string }[]): Map<string, string> {
  return new Map(rows.map((row) => [row.id, row.member_id]));
}

/**
 * Locks the members' rows until the transaction ends, in id order. Every ledger command locks its
 * members through this one statement, so two transactions always lock in the same order and can
 * never deadlock on PostgreSQL. Returns the ids that exist.
 */
export async function lockMembers(trx: Executor, dialect: StoreDialect, merchantId: string, memberIds: string[]): Promise<Set<string>> {
  return new Set((await readOne(trx, lockMembersWithVersionsRead(trx, dialect, merchantId, memberIds))).keys());
}

/**
 * lockMembers as a read that can go out with others, answering each existing member's
 * ledger_version (read under the lock it takes) by member id. On PostgreSQL what follows it on the
 * same connection runs once the locks are taken, with a snapshot of its own (READ COMMITTED), so a
 * read sent right behind it reads under the lock; what goes before it does not.
 */
export function lockMembersWithVersionsRead(trx: Executor, dialect: StoreDialect, merchantId: string, memberIds: string[]): PlannedRead<Map<string, number>> {
  if (memberIds.length === 0) return answeredRead(new Map());
  const sorted = [...new Set(memberIds)].sort();
  const query = trx.selectFrom('members').select(['id', 'ledger_version']).where('merchant_id', '=', merchantId).where('id', 'in', sorted).orderBy('id');
  return mapRead(rowsRead([dialect.lockRows(query)]), (rows) => new Map(rows.map((row) => [row.id, Number(row.ledger_version ?? 0)])));
}

export function idempotencyRecordsRead(trx: Executor, merchantId: string, keys: string[]): PlannedRead<Map<string, IdempotencyRecord>> {
  const queries = chunk(keys).map((keysChunk) => trx.selectFrom('idempotency_records').selectAll()
    .where('merchant_id', '=', merchantId).where('idempotency_key', 'in', keysChunk));
  return mapRead(rowsRead(queries), (rows) => new Map(rows.map((row) => [row.idempotency_key, {
    idempotencyKey: row.idempotency_key, operation: row.operation, requestHash: row.request_hash,
    statusCode: row.status_code, responseJson: row.response_json, createdAtMs: row.created_at_ms,
  }])));
}

function reservationsRead(trx: Executor, merchantId: string, reservationIds: string[]): PlannedRead<Reservation[]> {
  if (reservationIds.length === 0) return answeredRead([]);
  // A reservation's lots are keyed by its id, so both are asked at once.
  return combineReads([
    rowsRead(chunk(reservationIds).map((idsChunk) => trx.selectFrom('reservations').selectAll()
      .where('merchant_id', '=', merchantId).where('id', 'in', idsChunk))),
    rowsRead(chunk(reservationIds).map((idsChunk) => trx.selectFrom('reservation_lots').selectAll()
      .where('merchant_id', '=', merchantId).where('reservation_id', 'in', idsChunk).orderBy('lot_id'))),
  ], ([rows, lotRows]) => {
    const lotsByReservation = new Map<string, { lotId: string; points: number }[]>();
    for (const row of lotRows) {
      const list = lotsByReservation.get(row.reservation_id) ?? [];
      list.push({ lotId: row.lot_id, points: row.points });
      lotsByReservation.set(row.reservation_id, list);
    }
    return rows.map((row) => ({
      id: row.id, memberId: row.member_id, points: row.points, status: row.status as ReservationStatus, reason: row.reason,
      expiresAtMs: row.expires_at_ms, createdAtMs: row.created_at_ms, resolvedAtMs: row.resolved_at_ms,
      lots: lotsByReservation.get(row.id) ?? [],
    }));
  });
}

export async function loadReservations(trx: Executor, merchantId: string, reservationIds: string[]): Promise<Reservation[]> {
  return readOne(trx, reservationsRead(trx, merchantId, reservationIds));
}

/** Members' ledgers as the first read leaves them (memberLedgersRead); finishMemberLedgers completes them. */
export interface LoadingLedgers {
  ledgers: Map<string, MemberLedger>;
  seenLotIds: Set<string>;
  heldReservationIds: string[];
}

/**
 * The first read of some members' ledgers: their open lots, the ids of their held reservations
 * and, when asked, the points each has sent by transfer since `monthStartMs`.
 */
export function memberLedgersRead(
  trx: Executor, merchantId: string, memberIds: string[],
  options: { monthStartMs: number; transferSenderIds: string[] },
): PlannedRead<LoadingLedgers> {
  const idsChunks = chunk(memberIds);
  return combineReads([
    rowsRead(idsChunks.map((idsChunk) => trx.selectFrom('point_lots').selectAll()
      .where('merchant_id', '=', merchantId).where('member_id', 'in', idsChunk).where('is_open', '=', sql.lit(1)))),
    rowsRead(idsChunks.map((idsChunk) => trx.selectFrom('reservations').select('id')
      .where('merchant_id', '=', merchantId).where('member_id', 'in', idsChunk).where('status', '=', sql.lit('held')))),
    transfersSinceRead(trx, merchantId, options.transferSenderIds, options.monthStartMs),
  ], ([lotRows, heldRows, totals]) => {
    const ledgers = new Map<string, MemberLedger>();
    for (const memberId of memberIds) {
      ledgers.set(memberId, newMemberLedger(memberId, options.monthStartMs));
    }
    const seenLotIds = new Set<string>();
    for (const row of lotRows) addLot(ledgers, seenLotIds, row);
    addTransfersThisMonth(ledgers, totals);
    return { ledgers, seenLotIds, heldReservationIds: heldRows.map((row) => row.id) };
  });
}

/** Gives each member's ledger the points it has sent by transfer this month (transfersSinceRead). */
export function addTransfersThisMonth(ledgers: Map<string, MemberLedger>, totals: Map<string, number>): void {
  for (const [memberId, points] of totals) {
    const ledger = ledgers.get(memberId);
    if (ledger) ledger.transferredPointsThisMonth = points;
  }
}

/**
 * How far before its created_at_ms a transaction's id may say it was made. None since ids carry
 * their batch's time (execute-ledger-batch.ts BatchClock); before that the writer's own clock, read
 * just after the batch's, so earlier only where the system clock stepped back in between. A day
 * of history more to read per sender covers those.
 */
const idClockSlackMs = 86_400_000;

/**
 * The points each sender has sent by transfer since `sinceMs`, by member (absent: none). Read
 * through the senders' history index (merchant_id, member_id, id) from the first id that can be in the
 * period, rather than an index of transfers of its own that every transfer would have to write
 * (migration 0020); created_at_ms then decides exactly.
 */
export function transfersSinceRead(trx: Executor, merchantId: string, senderIds: string[], sinceMs: number): PlannedRead<Map<string, number>> {
  const firstId = firstIdMadeAt(transactionIdPrefix, sinceMs - idClockSlackMs);
  const queries = chunk([...new Set(senderIds)]).map((idsChunk) => trx.selectFrom('points_transactions')
    .select(['member_id', sql<number>`sum(points)`.as('points')])
    .where('merchant_id', '=', merchantId).where('member_id', 'in', idsChunk).where('id', '>=', firstId)
    .where('kind', '=', sql.lit('transfer')).where('created_at_ms', '>=', sinceMs).groupBy('member_id'));
  return mapRead(rowsRead(queries), (rows) => new Map(rows.map((row) => [row.member_id, Number(row.points)])));
}

function addLot(ledgers: Map<string, MemberLedger>, seenLotIds: Set<string>, row: PointLotsTable): void {
  if (seenLotIds.has(row.id)) return;
  seenLotIds.add(row.id);
  const ledger = ledgers.get(row.member_id);
  if (ledger) addStoredLot(ledger, lotFromRow(row));
}

/**
 * Completes what memberLedgersRead began: the held reservations with their lots (a hold's lots
 * have had points taken out and may now be empty, so the open-lots query can miss them), and the
 * lots named by `extraLotIds` (an earn's lot that is already spent). No statement when there are none.
 */
export async function finishMemberLedgers(trx: Executor, merchantId: string, loading: LoadingLedgers, extraLotIds: string[] = []): Promise<MemberLedger[]> {
  const { ledgers, seenLotIds } = loading;
  const held = await readOne(trx, reservationsRead(trx, merchantId, loading.heldReservationIds));
  for (const reservation of held) ledgers.get(reservation.memberId)?.heldReservations.push(reservation);
  const heldLotIds = flatMapped(held, (reservation) => reservation.lots.map((portion) => portion.lotId));
  const missingLotIds = [...new Set([...heldLotIds, ...extraLotIds])].filter((id) => !seenLotIds.has(id));
  const lotRows = await readOne(trx, rowsRead(chunk(missingLotIds).map((idsChunk) => trx.selectFrom('point_lots').selectAll()
    .where('merchant_id', '=', merchantId).where('id', 'in', idsChunk))));
  for (const row of lotRows) addLot(ledgers, seenLotIds, row);
  for (const ledger of ledgers.values()) ledger.lots.sort(compareLotsForSpending); // MemberLedger keeps them so
  return [...ledgers.values()];
}

/**
 * The ledger state of some members: their open lots, the lots named by `extraLotIds` (an earn's lot
 * that is already spent, a reservation's lot), their held reservations and, when asked, the points
 * each has sent by transfer since `monthStartMs`.
 */
export async function loadMemberLedgers(
  trx: Executor, merchantId: string, memberIds: string[],
  options: { extraLotIds?: string[]; monthStartMs: number; transferSenderIds: string[] },
): Promise<MemberLedger[]> {
  if (memberIds.length === 0) return [];
  const loading = await readOne(trx, memberLedgersRead(trx, merchantId, memberIds, options));
  return finishMemberLedgers(trx, merchantId, loading, options.extraLotIds);
}

/** Earns that commands want to reverse: the earn's own lot and how much is already reversed. */
export async function loadReversibleEarns(trx: Executor, merchantId: string, transactionIds: string[]): Promise<ReversibleEarn[]> {
  if (transactionIds.length === 0) return [];
  const rows = await trx.selectFrom('points_transactions').select(['id', 'kind', 'member_id', 'points'])
    .where('merchant_id', '=', merchantId).where('id', 'in', transactionIds).execute();
  const reversed = await trx.selectFrom('points_transactions')
    .select(['reverses_transaction_id', sql<number>`sum(points)`.as('points')])
    .where('merchant_id', '=', merchantId).where('reverses_transaction_id', 'in', transactionIds)
    .groupBy('reverses_transaction_id').execute();
  const reversedById = new Map(reversed.map((row) => [row.reverses_transaction_id ?? '', Number(row.points)]));
  // An earn's own lot is the lot it created, found through its wallet entries (the primary key of
  // ledger_entries leads with the transaction); an earn that only repaid a debt created none.
  const entries = await trx.selectFrom('ledger_entries').select(['transaction_id', 'lot_id'])
    .where('merchant_id', '=', merchantId).where('transaction_id', 'in', transactionIds)
    .where('account', '=', 'member_wallet').where('points', '>', 0).execute();
  const candidateLotIds = entries.flatMap((entry) => (entry.lot_id ? [entry.lot_id] : []));
  const lots = candidateLotIds.length === 0 ? [] : await trx.selectFrom('point_lots').select(['id', 'source_transaction_id'])
    .where('merchant_id', '=', merchantId).where('id', 'in', candidateLotIds).execute();
  const lotBySource = new Map(lots.map((row) => [row.source_transaction_id, row.id]));
  return rows.map((row) => ({
    transactionId: row.id, kind: row.kind as TransactionKind, memberId: row.member_id, points: row.points,
    lotId: lotBySource.get(row.id) ?? null, reversedPoints: reversedById.get(row.id) ?? 0,
  }));
}

/**
 * Persists everything a LedgerBook recorded, in a handful of multi-row statements sent together
 * (one round trip on PostgreSQL; nothing in one depends on another's result). When it fails, the
 * transaction must be rolled back: its inserts fail the whole transaction (failsWholeTransaction).
 */
export async function writeLedgerBook(
  trx: Executor, dialect: StoreDialect, merchantId: string, book: LedgerBook, idempotencyRecords: IdempotencyRecord[],
  options: { lastInTransaction?: boolean; raiseLedgerVersionsOf?: readonly string[] } = {},
): Promise<void> {
  const statements: CompiledQuery[] = [];
  // Sorted, like the locks: the rows are locked by this transaction already, so no wait and no deadlock.
  const raised = [...new Set(options.raiseLedgerVersionsOf ?? [])].sort();
  statements.push(...chunk(raised).map((ids) => trx.updateTable('members').set((eb) => ({ ledger_version: eb('ledger_version', '+', 1) }))
    .where('merchant_id', '=', merchantId).where('id', 'in', ids).compile()));
  const transactionRows = book.newTransactions.map((transaction) => transactionToRow(merchantId, transaction));
  statements.push(...insertStatements(trx, dialect, 'points_transactions', 'points_transactions', transactionRows));
  const entryRows = flatMapped(book.newTransactions, (transaction) => transaction.entries.map((entry, entryIndex) => ({
    merchant_id: merchantId, transaction_id: transaction.id, entry_index: entryIndex, account: entry.account,
    member_id: entry.memberId, lot_id: entry.lotId, points: entry.points, created_at_ms: transaction.createdAtMs,
  })));
  statements.push(...insertStatements(trx, dialect, 'ledger_entries', 'ledger_entries', entryRows));
  const lotRows = [...book.changedLots.values()].map((lot) => ({
    merchant_id: merchantId, id: lot.id, member_id: lot.memberId, source_transaction_id: lot.sourceTransactionId,
    points_original: lot.pointsOriginal, points_remaining: lot.pointsRemaining, is_open: isOpenLot(lot.pointsRemaining) ? 1 : 0,
    available_at_ms: lot.availableAtMs, expires_at_ms: lot.expiresAtMs, created_at_ms: lot.createdAtMs,
  }));
  // Upserts write new lots and changed balances of old ones alike. An old lot's is_open is set only
  // when it empties or fills again: naming that column in the SET list, even to the same value,
  // makes SQLite rewrite the lot's entry in the open-lot indexes, a page more per partial spend
  // (and PostgreSQL's update could not be HOT). New lots are plain inserts in either statement.
  const balanceOnlyRows: typeof lotRows = [];
  const flippedRows: typeof lotRows = [];
  for (const row of lotRows) {
    const flipped = !book.newLotIds.has(row.id) && isOpenLot(book.lotsRemainingBefore.get(row.id) ?? 0) !== isOpenLot(row.points_remaining);
    (flipped ? flippedRows : balanceOnlyRows).push(row);
  }
  statements.push(...insertStatements(trx, dialect, 'point_lots', 'point_lots upsert points_remaining', balanceOnlyRows, (insert) => insert
    .onConflict((conflict) => conflict.columns(['merchant_id', 'id']).doUpdateSet({ points_remaining: sql.ref('excluded.points_remaining') }))));
  statements.push(...insertStatements(trx, dialect, 'point_lots', 'point_lots upsert points_remaining is_open', flippedRows, (insert) => insert
    .onConflict((conflict) => conflict.columns(['merchant_id', 'id']).doUpdateSet({
      points_remaining: sql.ref('excluded.points_remaining'), is_open: sql.ref('excluded.is_open'),
    }))));
  const reservationRows = [...book.changedReservations.values()].map((reservation) => ({
    merchant_id: merchantId, id: reservation.id, member_id: reservation.memberId, points: reservation.points,
    status: reservation.status, reason: reservation.reason, expires_at_ms: reservation.expiresAtMs,
    created_at_ms: reservation.createdAtMs, resolved_at_ms: reservation.resolvedAtMs,
  }));
  statements.push(...insertStatements(trx, dialect, 'reservations', 'reservations upsert status', reservationRows, (insert) => insert
    .onConflict((conflict) => conflict.columns(['merchant_id', 'id']).doUpdateSet({
      status: sql.ref('excluded.status'), resolved_at_ms: sql.ref('excluded.resolved_at_ms'),
    }))));
  const reservationLotRows = flatMapped(book.newReservationIds, (reservationId) => {
    const reservation = book.reservations.get(reservationId);
    return (reservation?.lots ?? []).map((portion) => ({ merchant_id: merchantId, reservation_id: reservationId, lot_id: portion.lotId, points: portion.points }));
  });
  statements.push(...insertStatements(trx, dialect, 'reservation_lots', 'reservation_lots', reservationLotRows));
  const idempotencyRows = idempotencyRecords.map((record) => ({
    merchant_id: merchantId, idempotency_key: record.idempotencyKey, operation: record.operation, request_hash: record.requestHash,
    status_code: record.statusCode, response_json: record.responseJson, created_at_ms: record.createdAtMs,
  }));
  statements.push(...insertStatements(trx, dialect, 'idempotency_records', 'idempotency_records', idempotencyRows));
  // The batch's last statements: on PostgreSQL its COMMIT goes with them.
  await executeTogether(trx, statements, { thenCommit: options.lastInTransaction });
}

function transactionToRow(merchantId: string, transaction: LedgerTransaction): PointsTransactionsTable {
  return {
    merchant_id: merchantId, id: transaction.id, kind: transaction.kind, member_id: transaction.memberId,
    counterparty_member_id: transaction.counterpartyMemberId, points: transaction.points, reason: transaction.reason,
    idempotency_key: transaction.idempotencyKey, reverses_transaction_id: transaction.reversesTransactionId,
    reservation_id: transaction.reservationId, created_at_ms: transaction.createdAtMs,
  };
}

export async function findTransactions(db: Executor, merchantId: string, transactionIds: string[]): Promise<LedgerTransaction[]> {
  if (transactionIds.length === 0) return [];
  const rows = await db.selectFrom('points_transactions').selectAll().where('merchant_id', '=', merchantId).where('id', 'in', transactionIds).execute();
  const entries = await db.selectFrom('ledger_entries').selectAll()
    .where('merchant_id', '=', merchantId).where('transaction_id', 'in', transactionIds).orderBy('entry_index').execute();
  const byTransaction = new Map<string, LedgerTransaction['entries']>();
  for (const entry of entries) {
    const list = byTransaction.get(entry.transaction_id) ?? [];
    list.push({ account: entry.account as Account, memberId: entry.member_id, lotId: entry.lot_id, points: entry.points });
    byTransaction.set(entry.transaction_id, list);
  }
  const found = new Map(rows.map((row) => [row.id, {
    id: row.id, kind: row.kind as TransactionKind, memberId: row.member_id, counterpartyMemberId: row.counterparty_member_id,
    points: row.points, reason: row.reason, idempotencyKey: row.idempotency_key, reversesTransactionId: row.reverses_transaction_id,
    reservationId: row.reservation_id, createdAtMs: row.created_at_ms, entries: byTransaction.get(row.id) ?? [],
  } satisfies LedgerTransaction]));
  return transactionIds.map((id) => found.get(id)).filter((transaction) => transaction !== undefined);
}

/** A member's transactions, newest first, from `beforeId` (exclusive). Ids sort by time. */
export async function listMemberTransactionIds(db: Executor, merchantId: string, memberId: string, limit: number, beforeId: string | null): Promise<string[]> {
  const page = (column: 'member_id' | 'counterparty_member_id') => {
    let query = db.selectFrom('points_transactions').select('id').where('merchant_id', '=', merchantId).where(column, '=', memberId);
    if (beforeId) query = query.where('id', '<', beforeId);
    return query.orderBy('id', 'desc').limit(limit).execute();
  };
  const [own, received] = await Promise.all([page('member_id'), page('counterparty_member_id')]);
  return [...new Set([...own, ...received].map((row) => row.id))].sort().reverse().slice(0, limit);
}

export async function findDueLotMembers(db: Executor, merchantId: string, nowMs: number, limit: number): Promise<string[]> {
  const rows = await dueLotMembersQuery(db, merchantId, nowMs, limit).execute();
  return rows.map((row) => row.member_id);
}

/**
 * Members with open lots past their date. Its conditions imply those of the partial index
 * point_lots_open_by_expiry (open lots that have a date), so both stores read only that index.
 */
export function dueLotMembersQuery(db: Executor, merchantId: string, nowMs: number, limit: number) {
  return db.selectFrom('point_lots').select('member_id').distinct()
    .where('merchant_id', '=', merchantId).where('is_open', '=', sql.lit(1)).where('points_remaining', '>', sql.lit(0)).where('expires_at_ms', '<=', nowMs)
    .limit(limit);
}

export async function findTimedOutHoldMembers(db: Executor, merchantId: string, nowMs: number, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('reservations').select('member_id').distinct()
    .where('merchant_id', '=', merchantId).where('status', '=', sql.lit('held')).where('expires_at_ms', '<=', nowMs).limit(limit).execute();
  return rows.map((row) => row.member_id);
}

/** The raw sums `checkLedgerInvariants` needs, for one merchant. */
export async function loadInvariantInput(db: Executor, merchantId: string) {
  const transactionSums = await db.selectFrom('ledger_entries')
    .select(['transaction_id', sql<number>`sum(points)`.as('points')])
    .where('merchant_id', '=', merchantId).groupBy('transaction_id').having(sql`sum(points)`, '<>', 0).execute();
  const total = await db.selectFrom('ledger_entries').select(sql<number>`coalesce(sum(points), 0)`.as('points'))
    .where('merchant_id', '=', merchantId).executeTakeFirstOrThrow();
  const lots = await db.selectFrom('point_lots as l')
    .leftJoin(
      (eb) => eb.selectFrom('ledger_entries').select(['lot_id', sql<number>`sum(points)`.as('points')])
        .where('merchant_id', '=', merchantId).where('account', '=', 'member_wallet').groupBy('lot_id').as('e'),
      (join) => join.onRef('e.lot_id', '=', 'l.id'),
    )
    .select(['l.id', 'l.member_id', 'l.points_remaining', 'l.points_original', 'l.is_open', sql<number>`coalesce(e.points, 0)`.as('wallet_points')])
    .where('l.merchant_id', '=', merchantId).execute();
  const heldEntries = await db.selectFrom('ledger_entries').select(['member_id', sql<number>`sum(points)`.as('points')])
    .where('merchant_id', '=', merchantId).where('account', '=', 'member_held').groupBy('member_id').execute();
  const heldReservations = await db.selectFrom('reservations').select(['member_id', sql<number>`sum(points)`.as('points')])
    .where('merchant_id', '=', merchantId).where('status', '=', sql.lit('held')).groupBy('member_id').execute();
  const reservations = await db.selectFrom('reservations as r')
    .leftJoin(
      (eb) => eb.selectFrom('reservation_lots').select(['reservation_id', sql<number>`sum(points)`.as('points')])
        .where('merchant_id', '=', merchantId).groupBy('reservation_id').as('rl'),
      (join) => join.onRef('rl.reservation_id', '=', 'r.id'),
    )
    .select(['r.id', 'r.points', sql<number>`coalesce(rl.points, 0)`.as('lot_points')])
    .where('r.merchant_id', '=', merchantId).execute();
  const holdMembers = new Map<string, { memberId: string; heldEntryPoints: number; reservedPoints: number }>();
  const hold = (memberId: string) => {
    const existing = holdMembers.get(memberId) ?? { memberId, heldEntryPoints: 0, reservedPoints: 0 };
    holdMembers.set(memberId, existing);
    return existing;
  };
  for (const row of heldEntries) hold(row.member_id ?? '').heldEntryPoints = Number(row.points);
  for (const row of heldReservations) hold(row.member_id).reservedPoints = Number(row.points);
  const transactionCount = await db.selectFrom('points_transactions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId).executeTakeFirstOrThrow();
  return {
    transactionCount: Number(transactionCount.n),
    transactionSums: transactionSums.map((row) => ({ transactionId: row.transaction_id, points: Number(row.points) })),
    totalPoints: Number(total.points),
    lots: lots.map((row) => ({
      lotId: row.id, memberId: row.member_id, pointsRemaining: row.points_remaining, walletEntryPoints: Number(row.wallet_points), pointsOriginal: row.points_original,
      isOpen: Number(row.is_open) !== 0,
    })),
    holds: [...holdMembers.values()],
    reservations: reservations.map((row) => ({ reservationId: row.id, points: row.points, lotPoints: Number(row.lot_points) })),
  };
}
