import { createHash, randomBytes } from 'node:crypto';

export type ApiKeyKind = 'secret' | 'write';

const prefixByKind: Record<ApiKeyKind, string> = { secret: 'sk_', write: 'wk_' };

export function generateApiKeySecret(kind: ApiKeyKind): string {
  return prefixByKind[kind] + randomBytes(24).toString('base64url');
}

/**
 * Keys carry 192 random bits, so a fast hash is enough to make a stolen table useless;
 * a slow password hash would only cost time on every request.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function apiKeyKindOf(secret: string): ApiKeyKind | null {
  if (secret.startsWith('sk_')) return 'secret';
  if (secret.startsWith('wk_')) return 'write';
  return null;
}
