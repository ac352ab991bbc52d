// The only place SQLite and PostgreSQL differ. Everything else in the store is one code path.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';

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
   * A number that changes whenever another connection commits to the database, or undefined when
   * the dialect cannot tell (then nothing may be cached between transactions).
   */
  readChangeCounter?(executor: Kysely<any>): Promise<number>;
  /** A unique constraint refused the write. */
  isUniqueViolation(error: unknown): boolean;
  /** A conflict that succeeds when the transaction is simply run again (busy, deadlock, serialization). */
  isRetryable(error: unknown): boolean;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  lockRows: (query) => query,
  concurrentWriteTransactions: 1,
  ingestGroups: { concurrent: 1, maxEvents: 1000 },
  maxBindParameters: 30_000,
  supportsSkipLocked: false,
  checkpointsInProcess: true,
  readChangeCounter: async (executor) => {
    const result = await sql<{ data_version: number }>`pragma data_version`.execute(executor);
    return Number(result.rows[0]?.data_version ?? 0);
  },
  isUniqueViolation: (error) => errorCode(error).startsWith('SQLITE_CONSTRAINT_UNIQUE') || errorCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  isRetryable: (error) => errorCode(error).startsWith('SQLITE_BUSY'),
};

export const postgresDialect: StoreDialect = {
  name: 'postgres',
  lockRows: (query) => query.forUpdate(),
  concurrentWriteTransactions: 2,
  ingestGroups: { concurrent: 8, maxEvents: 1 },
  maxBindParameters: 60_000,
  supportsSkipLocked: true,
  checkpointsInProcess: false,
  isUniqueViolation: (error) => errorCode(error) === '23505',
  // serialization_failure, deadlock_detected, lock_not_available
  isRetryable: (error) => ['40001', '40P01', '55P03'].includes(errorCode(error)),
};
