import { DomainError } from '../../domain/errors';
import { revokeApiKey as revokeApiKeyRow } from '../../store/api-key-store';
import type { ServiceContext } from '../context';
import { forgetCachedApiKeys } from './authenticate-api-key';

/** Revokes a key; requests with it fail from now on. Revoking twice is an error, so a typo is noticed. */
export async function revokeApiKey(ctx: ServiceContext, merchantId: string, keyId: string): Promise<void> {
  const revoked = await revokeApiKeyRow(ctx.store.db, merchantId, keyId, ctx.nowMs());
  if (revoked === 0) throw new DomainError('not_found', `No active key ${keyId} for merchant ${merchantId}`);
  forgetCachedApiKeys();
}
