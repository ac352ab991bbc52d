import type { StoreDialect } from './dialect';

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
      if (attemptNumber >= maxAttempts || !dialect.isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, attemptNumber * 5 * Math.random()));
    }
  }
}
