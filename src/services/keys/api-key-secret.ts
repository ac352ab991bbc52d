import { randomBytes } from 'node:crypto';
import { hashSecret } from '../hash-secret';

export type ApiKeyKind = 'secret' | 'write';

const prefixByKind: Record<ApiKeyKind, string> = { secret: 'sk_', write: 'wk_' };

export function generateApiKeySecret(kind: ApiKeyKind): string {
  return prefixByKind[kind] + randomBytes(24).toString('base64url');
}

/** Keys carry 192 random bits: see hashSecret. */
export const hashApiKeySecret = hashSecret;

export function apiKeyKindOf(secret: string): ApiKeyKind | null {
  if (secret.startsWith('sk_')) return 'secret';
  if (secret.startsWith('wk_')) return 'write';
  return null;
}
