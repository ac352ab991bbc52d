import { sql, type Kysely } from 'kysely';

// Every tenant table keys on (merchant_id, …) so it can be distributed by merchant on Citus.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('merchants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('expiry_policy', 'text', (c) => c.notNull())
    .addColumn('expiry_months', 'integer')
    .addColumn('reversal_policy', 'text', (c) => c.notNull())
    .addColumn('transfer_min_points', 'bigint', (c) => c.notNull())
    .addColumn('transfer_max_points', 'bigint')
    .addColumn('transfer_max_points_per_month', 'bigint')
    .addColumn('reservation_timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at_ms', 'bigint')
    .addPrimaryKeyConstraint('api_keys_pk', ['merchant_id', 'id'])
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('phone_e164', 'text')
    .addColumn('email', 'text')
    .addColumn('line_user_id', 'text')
    .addColumn('name', 'text')
    .addColumn('birthday', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('members_pk', ['merchant_id', 'id'])
    .addUniqueConstraint('members_external_id_uq', ['merchant_id', 'external_id'])
    .addUniqueConstraint('members_phone_uq', ['merchant_id', 'phone_e164'])
    .addUniqueConstraint('members_email_uq', ['merchant_id', 'email'])
    .addUniqueConstraint('members_line_user_id_uq', ['merchant_id', 'line_user_id'])
    .execute();

  await db.schema
    .createTable('point_lots')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('source_transaction_id', 'text', (c) => c.notNull())
    .addColumn('points_original', 'bigint', (c) => c.notNull())
    .addColumn('points_remaining', 'bigint', (c) => c.notNull())
    .addColumn('available_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('point_lots_pk', ['merchant_id', 'id'])
    .execute();
  // Only lots that still hold points are ever read by a command; spent lots drop out of the index.
  await db.schema
    .createIndex('point_lots_open_by_member')
    .on('point_lots')
    .columns(['merchant_id', 'member_id'])
    .where(sql.ref('points_remaining'), '<>', 0)
    .execute();
  await db.schema
    .createIndex('point_lots_open_by_expiry')
    .on('point_lots')
    .columns(['merchant_id', 'expires_at_ms'])
    .where(sql.ref('points_remaining'), '>', 0)
    .execute();

  await db.schema
    .createTable('points_transactions')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('counterparty_member_id', 'text')
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('reverses_transaction_id', 'text')
    .addColumn('reservation_id', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('points_transactions_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('points_transactions_by_member')
    .on('points_transactions')
    .columns(['merchant_id', 'member_id', 'id'])
    .execute();
  // What a sender has transferred this month, for the monthly transfer limit.
  await db.schema
    .createIndex('points_transactions_transfers_by_member')
    .on('points_transactions')
    .columns(['merchant_id', 'member_id', 'created_at_ms'])
    .where(sql.ref('kind'), '=', 'transfer')
    .execute();
  // Most transactions have no counterparty and reverse nothing: partial indexes skip those rows,
  // so an ordinary earn or spend does not pay for them at commit.
  await db.schema
    .createIndex('points_transactions_by_counterparty')
    .on('points_transactions')
    .columns(['merchant_id', 'counterparty_member_id', 'id'])
    .where(sql.ref('counterparty_member_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('points_transactions_by_reversed')
    .on('points_transactions')
    .columns(['merchant_id', 'reverses_transaction_id'])
    .where(sql.ref('reverses_transaction_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('entry_index', 'integer', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('lot_id', 'text')
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_entries_pk', ['merchant_id', 'transaction_id', 'entry_index'])
    .execute();
  // No index on ledger_entries by member: nothing reads entries that way on a hot path (history
  // reads transactions; `ledger check` scans), and each index here costs a random page per entry
  // at every group commit.

  await db.schema
    .createTable('reservations')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at_ms', 'bigint')
    .addPrimaryKeyConstraint('reservations_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('reservations_held_by_member')
    .on('reservations')
    .columns(['merchant_id', 'member_id'])
    .where(sql.ref('status'), '=', 'held')
    .execute();
  await db.schema
    .createIndex('reservations_held_by_expiry')
    .on('reservations')
    .columns(['merchant_id', 'expires_at_ms'])
    .where(sql.ref('status'), '=', 'held')
    .execute();

  await db.schema
    .createTable('reservation_lots')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('reservation_id', 'text', (c) => c.notNull())
    .addColumn('lot_id', 'text', (c) => c.notNull())
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reservation_lots_pk', ['merchant_id', 'reservation_id', 'lot_id'])
    .execute();

  await db.schema
    .createTable('idempotency_records')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response_json', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_records_pk', ['merchant_id', 'idempotency_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_records', 'reservation_lots', 'reservations', 'ledger_entries',
    'points_transactions', 'point_lots', 'members', 'api_keys', 'merchants']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
