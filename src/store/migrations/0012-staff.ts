import type { Kysely } from 'kysely';

// Staff who sign in to the dashboard and the cashier screen, their sessions (only a hash of the
// session token is kept), and the points each cashier gave, for their per-day limit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff_users')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('max_points_per_transaction', 'bigint')
    .addColumn('max_points_per_day', 'bigint')
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_users_pk', ['merchant_id', 'id'])
    .addUniqueConstraint('staff_users_email_uq', ['merchant_id', 'email'])
    .execute();
  await db.schema.createIndex('staff_users_by_email').on('staff_users').column('email').execute();

  await db.schema
    .createTable('staff_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff_point_grants')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_point_grants_pk', ['merchant_id', 'transaction_id'])
    .execute();
  await db.schema.createIndex('staff_point_grants_by_staff').on('staff_point_grants').columns(['merchant_id', 'staff_id', 'at_ms']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['staff_point_grants', 'staff_sessions', 'staff_users']) await db.schema.dropTable(table).ifExists().execute();
}
