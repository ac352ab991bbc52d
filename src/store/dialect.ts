// The only place SQLite and PostgreSQL differ. Everything else in the store is one code path.
import { sql, type InsertQueryBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';

export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Row locks for the rest of the transaction. SQLite needs none: `BEGIN IMMEDIATE` already holds the only write lock. */
  lockRows<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /**
   * How many ledger batches one process runs at once. SQLite has one writer. On PostgreSQL two keep
   * the database busy while the next batch gathers; more only split the same requests into smaller
   * batches (measured with `npm run bench -- ledger`: 1 → 3,045, 2 → 3,155, 8 → 2,192 ops/s).
   */
  readonly concurrentWriteTransactions: number;
  /**
   * How ingestion groups requests into transactions: how many groups run at once, and how many
   * events one group may hold (a request always goes whole, alone if it is bigger). SQLite has one
   * writer: requests that wait share a transaction and its commit (`npm run bench -- ingest`:
   * +18% events/s, −11% CPU per event). PostgreSQL already shares WAL flushes between concurrent
   * transactions, and merged groups fought over the same people's rows (1,860 → 600 events/s),
   * so there each request is its own transaction, several at once.
   */
  readonly ingestGroups: { concurrent: number; maxEvents: number };
  /** Most bind parameters one statement may carry, with room to spare. */
  readonly maxBindParameters: number;
  readonly supportsSkipLocked: boolean;
  /** The store is a file with a write-ahead log that a thread of this process copies back (startWalCheckpointer). */
  readonly checkpointsInProcess: boolean;
  /**
   * How the ledger tells that members' state it kept from an earlier batch is still what the store
   * holds (member-ledger-cache.ts):
   * - 'change-counter': readChangeCounter changes whenever another connection commits (SQLite's
   *   data_version, free to read); what was kept is dropped whole then. Batches run one at a time.
   * - 'member-version': each member's ledger_version, read under the member's row lock and raised by
   *   every batch that writes the member (PostgreSQL, where other servers may write the same
   *   members). A batch costs one more UPDATE, and saves reading every open lot of its members.
   */
  readonly ledgerCacheCheck: 'change-counter' | 'member-version';
  /** A number that changes whenever another connection commits to the database ('change-counter'). */
  readChangeCounter?(executor: Kysely<any>): Promise<number>;
  /**
   * The insert as one whose failure fails its whole transaction, which is then rolled back: the
   * database need not be able to undo it alone. SQLite then keeps no statement journal (`INSERT OR
   * FAIL`); for a multi-row insert it otherwise copies each page the statement touches before
   * changing it (5% of the ledger writer's instructions under callgrind). PostgreSQL undoes a failed
   * statement with its transaction either way. Only for statements after which nothing runs in the
   * transaction when they fail: OR FAIL keeps the rows the statement wrote before the failing one.
   */
  failsWholeTransaction<Q extends InsertQueryBuilder<any, any, any>>(query: Q): Q;
  /**
   * Multi-row inserts of the ledger go as one JSON parameter expanded by the database
   * (json_populate_recordset) instead of `VALUES (…), (…)`: the statement's text is then the same
   * for any number of rows, so it stays prepared (PostgreSQL), and the server parses one value
   * instead of hundreds of parameters. SQLite binds its parameters in process and caches a
   * prepared statement per row count anyway; its form of this (`value ->> 'column'` over
   * json_each) took 2.5× the instructions per ledger command of binding the values (418k against
   * 167k, `npm run bench -- ledger-instructions`).
   */
  readonly insertsRowsAsJson: boolean;
  /** A unique constraint refused the write. */
  isUniqueViolation(error: unknown): boolean;
  /** A conflict that succeeds when the transaction is simply run again (busy, deadlock, serialization). */
  isRetryable(error: unknown): boolean;
  /**
   * Why the database cannot take this work now — full disk, an I/O error, read-only, server gone —
   * in a few words for people, or null when the error is not of that kind (a bug, bad data).
   */
  unavailableReason(error: unknown): string | null;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}

// Errors of the connection itself, the same whichever database is behind it.
const socketErrorReasons: Record<string, string> = {
  ECONNREFUSED: 'the database server refuses connections',
  ECONNRESET: 'the connection to the database server was cut',
  ETIMEDOUT: 'the database server does not answer',
  EPIPE: 'the connection to the database server was cut',
};

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  lockRows: (query) => query,
  concurrentWriteTransactions: 1,
  ingestGroups: { concurrent: 1, maxEvents: 1000 },
  maxBindParameters: 30_000,
  supportsSkipLocked: false,
  checkpointsInProcess: true,
  ledgerCacheCheck: 'change-counter',
  insertsRowsAsJson: false,
  readChangeCounter: async (executor) => {
    const result = await sql<{ data_version: number }>`pragma data_version`.execute(executor);
    return Number(result.rows[0]?.data_version ?? 0);
  },
  failsWholeTransaction: (query) => query.orFail() as typeof query,
  isUniqueViolation: (error) => errorCode(error).startsWith('SQLITE_CONSTRAINT_UNIQUE') || errorCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  isRetryable: (error) => errorCode(error).startsWith('SQLITE_BUSY'),
  unavailableReason: (error) => {
    const code = errorCode(error);
    if (code === 'SQLITE_FULL') return 'the disk is full';
    if (code.startsWith('SQLITE_IOERR')) return 'the database file cannot be read or written';
    if (code.startsWith('SQLITE_READONLY')) return 'the database file is read-only';
    if (code.startsWith('SQLITE_CANTOPEN')) return 'the database file cannot be opened';
    if (code.startsWith('SQLITE_BUSY')) return 'another process holds the database for too long';
    return null;
  },
};

export const postgresDialect: StoreDialect = {
  name: 'postgres',
  lockRows: (query) => query.forUpdate(),
  concurrentWriteTransactions: 2,
  ingestGroups: { concurrent: 8, maxEvents: 1 },
  maxBindParameters: 60_000,
  supportsSkipLocked: true,
  checkpointsInProcess: false,
  ledgerCacheCheck: 'member-version',
  insertsRowsAsJson: true,
  failsWholeTransaction: (query) => query,
  isUniqueViolation: (error) => errorCode(error) === '23505',
  // serialization_failure, deadlock_detected, lock_not_available
  isRetryable: (error) => ['40001', '40P01', '55P03'].includes(errorCode(error)),
  unavailableReason: (error) => {
    const code = errorCode(error);
    if (code === '53100') return 'the database server\'s disk is full';
    if (code.startsWith('53')) return 'the database server is out of resources';
    if (code.startsWith('08')) return 'the connection to the database server failed';
    if (['57P01', '57P02', '57P03'].includes(code)) return 'the database server is shutting down or starting';
    if (code === '25006') return 'the database is read-only';
    if (socketErrorReasons[code]) return socketErrorReasons[code];
    // node-postgres says so in words when the server goes away mid-query.
    if (error instanceof Error && /Connection terminated/i.test(error.message)) return 'the connection to the database server was cut';
    return null;
  },
};
