import { listApiKeys as listApiKeyRows } from '../../store/api-key-store';
import type { ServiceContext } from '../context';

export interface ApiKeyView {
  id: string;
  kind: string;
  label: string;
  /** The first characters of the key, to tell keys apart; never the whole key. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiKeys(ctx: ServiceContext, merchantId: string): Promise<ApiKeyView[]> {
  const rows = await listApiKeyRows(ctx.store.db, merchantId);
  return rows.map((row) => ({
    id: row.id, kind: row.kind, label: row.label, prefix: `${row.key_prefix}…`,
    createdAt: new Date(row.created_at_ms).toISOString(),
    revokedAt: row.revoked_at_ms === null ? null : new Date(row.revoked_at_ms).toISOString(),
  }));
}
