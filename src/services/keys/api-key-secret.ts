import { randomBytes } from 'node:crypto';

export type ApiKeyKind = 'secret' | 'write';

const prefixByKind: Record<ApiKeyKind, string> = { secret: 'sk_', write: 'wk_' };

/** 192 random bits, so a fast hash (hashSecret) is enough to store it. */
export function generateApiKeySecret(kind: ApiKeyKind): string {
  return prefixByKind[kind] + randomBytes(24).toString('base64url');
}

export function apiKeyKindOf(secret: string): ApiKeyKind | null {
  if (secret.startsWith('sk_')) return 'secret';
  if (secret.startsWith('wk_')) return 'write';
  return null;
}
