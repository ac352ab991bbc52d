import type { StoreDialect } from './dialect';

/**
 * A conflict with a transaction that ran at the same time, found by the code rather than by the
 * store (a unique row another transaction wrote first): worth running the whole attempt again.
 */
export class PassingConflictError extends Error {
  override readonly name = 'PassingConflictError';
}

/**
 * Runs `attempt` again when the store says the failure was a passing conflict (SQLite busy,
 * PostgreSQL deadlock or serialization failure), with a short random back-off; anything else, or
 * the last failure, is thrown.
 */
export async function retryOnConflict<T>(dialect: StoreDialect, attempt: () => Promise<T>, maxAttempts = 5): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (attemptNumber >= maxAttempts || !(error instanceof PassingConflictError || dialect.isRetryable(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, attemptNumber * 5 * Math.random()));
    }
  }
}
