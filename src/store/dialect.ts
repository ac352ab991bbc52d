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
  /** Most bind parameters one statement may carry, with room to spare. */
  readonly maxBindParameters: number;
  readonly supportsSkipLocked: boolean;
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
  maxBindParameters: 30_000,
  supportsSkipLocked: false,
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
  maxBindParameters: 60_000,
  supportsSkipLocked: true,
  isUniqueViolation: (error) => errorCode(error) === '23505',
  // serialization_failure, deadlock_detected, lock_not_available
  isRetryable: (error) => ['40001', '40P01', '55P03'].includes(errorCode(error)),
};
