import { DomainError } from '../domain/errors';
import type { StoreDialect } from '../store/dialect';

/**
 * The database's own failure — a full disk, an I/O error, a server that went away — as the
 * `unavailable` error (503), which tells the client to come back rather than that it asked wrong;
 * null for any other error. A transaction that failed so was rolled back, or at worst its outcome
 * is unknown, which is what idempotency keys are for.
 */
export function storeUnavailableError(dialect: StoreDialect, error: unknown): DomainError | null {
  const reason = dialect.unavailableReason(error);
  if (!reason) return null;
  return new DomainError('unavailable', `The database cannot take this now: ${reason}. Try again later; a points command sent again with the same Idempotency-Key is applied once`, { reason });
}
