import { findApiKeyByHash } from '../../store/api-key-store';
import type { ServiceContext } from '../context';
import { hashSecret } from '../hash-secret';
import type { ApiKeyKind } from './api-key-secret';

export interface ApiKeyPrincipal {
  merchantId: string;
  keyId: string;
  kind: ApiKeyKind;
}

// Every request authenticates; a short cache spares the store a read per request. A revocation
// in this process clears it at once; other processes see it within cacheTtlMs. It is keyed by the
// secret as presented, so a hit costs no hash either (SHA-256 through node:crypto, ~3 µs, was 2% of
// the HTTP thread's time under the ledger benchmark): the secret is in this process's memory
// with every request that carries it anyway, and only the hash is ever stored.
const cacheTtlMs = 5_000;
const cache = new Map<string, { principal: ApiKeyPrincipal | null; cachedAtMs: number }>();

/** The merchant a presented key belongs to, or null when the key is unknown or revoked. */
export async function authenticateApiKey(ctx: ServiceContext, secret: string): Promise<ApiKeyPrincipal | null> {
  const cached = cache.get(secret);
  const nowMs = Date.now();
  if (cached && nowMs - cached.cachedAtMs < cacheTtlMs) return cached.principal;
  const row = await findApiKeyByHash(ctx.store.db, hashSecret(secret));
  const principal = row && row.revoked_at_ms === null ? { merchantId: row.merchant_id, keyId: row.id, kind: row.kind as ApiKeyKind } : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(secret, { principal, cachedAtMs: nowMs });
  return principal;
}

export function forgetCachedApiKeys(): void {
  cache.clear();
}
