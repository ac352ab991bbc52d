import { DomainError } from '../../domain/errors';
import { findApiKeyByHash, insertApiKey } from '../../store/api-key-store';
import { findMerchantById } from '../../store/merchant-store';
import type { ServiceContext } from '../context';
import { hashSecret } from '../hash-secret';
import { apiKeyKindOf, generateApiKeySecret, type ApiKeyKind } from './api-key-secret';

export interface CreatedApiKey {
  id: string;
  kind: ApiKeyKind;
  label: string;
  /** Shown once; only its hash is stored. */
  secret: string;
}

/**
 * Makes a key for a merchant. `secret` may be given (the demo's SENTANG_DEMO_KEY); otherwise a
 * random one is made. @example const { secret } = await createApiKey(ctx, merchantId, { kind: 'secret' })
 */
export async function createApiKey(ctx: ServiceContext, merchantId: string, options: { kind: ApiKeyKind; label?: string; secret?: string }): Promise<CreatedApiKey> {
  if (!(await findMerchantById(ctx.store.db, merchantId))) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  const secret = options.secret ?? generateApiKeySecret(options.kind);
  if (apiKeyKindOf(secret) !== options.kind || secret.length < 20) {
    throw new DomainError('invalid_request', `A ${options.kind} key must start with ${options.kind === 'secret' ? 'sk_' : 'wk_'} and be at least 20 characters`);
  }
  const keyHash = hashSecret(secret);
  if (await findApiKeyByHash(ctx.store.db, keyHash)) throw new DomainError('invalid_request', 'That key is already in use');
  const id = ctx.newId('key');
  const label = options.label ?? `${options.kind} key`;
  await insertApiKey(ctx.store.db, {
    merchant_id: merchantId, id, kind: options.kind, key_hash: keyHash, key_prefix: secret.slice(0, 7),
    label, created_at_ms: ctx.nowMs(), revoked_at_ms: null,
  });
  return { id, kind: options.kind, label, secret };
}
