import { hash } from 'node:crypto';

/**
 * What is stored of a random secret (an API key, a session or sign-in token): its SHA-256. The
 * secrets carry 128 bits or more of randomness, so a fast hash is enough to make a stolen table
 * useless; a slow password hash would only cost time on every request.
 */
export function hashSecret(secret: string): string {
  // The one-shot hash makes no Hash object: every request authenticates, and this was 2–4% of the
  // HTTP thread's time under the ledger benchmark.
  return hash('sha256', secret, 'hex');
}
