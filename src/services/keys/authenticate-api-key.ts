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
// in this process clears it at once; other processes see it within cacheTtlMs.
const cacheTtlMs = 5_000;
const cache = new Map<string, { principal: ApiKeyPrincipal | null; cachedAtMs: number }>();

/** The merchant a presented key belongs to, or null when the key is unknown or revoked. */
export async function authenticateApiKey(ctx: ServiceContext, secret: string): Promise<ApiKeyPrincipal | null> {
  const keyHash = hashSecret(secret);
  const cached = cache.get(keyHash);
  const nowMs = Date.now();
  if (cached && nowMs - cached.cachedAtMs < cacheTtlMs) return cached.principal;
  const row = await findApiKeyByHash(ctx.store.db, keyHash);
  const principal = row && row.revoked_at_ms === null ? { merchantId: row.merchant_id, keyId: row.id, kind: row.kind as ApiKeyKind } : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(keyHash, { principal, cachedAtMs: nowMs });
  return principal;
}

export function forgetCachedApiKeys(): void {
  cache.clear();
}
