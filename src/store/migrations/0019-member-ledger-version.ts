import type { Kysely } from 'kysely';

// A member's ledger version, raised by every ledger batch that writes the member's points on
// PostgreSQL. A ledger writer that kept a member's lots from an earlier batch reads the version
// under the member's row lock and uses what it kept only if the version is still the one it wrote
// (member-ledger-cache.ts); otherwise another server has written since, and it reads them again.
// SQLite tells other writers' commits by PRAGMA data_version and leaves the column at 0.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('members').addColumn('ledger_version', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('members').dropColumn('ledger_version').execute();
}
