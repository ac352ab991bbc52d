import { createHash } from 'node:crypto';

/**
 * What is stored of a random secret (an API key, a session or sign-in token): its SHA-256. The
 * secrets carry 128 bits or more of randomness, so a fast hash is enough to make a stolen table
 * useless; a slow password hash would only cost time on every request.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
