// Every SQL statement of staff accounts, their sessions and the points cashiers give.
import type { Kysely, Transaction } from 'kysely';
import type { Database, StaffPointGrantsTable, StaffSessionsTable, StaffUsersTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export async function insertStaff(db: Executor, row: StaffUsersTable): Promise<void> {
  await db.insertInto('staff_users').values(row).execute();
}

export async function updateStaff(db: Executor, merchantId: string, staffId: string, changes: Partial<StaffUsersTable>): Promise<void> {
  await db.updateTable('staff_users').set(changes).where('merchant_id', '=', merchantId).where('id', '=', staffId).execute();
}

export async function findStaff(db: Executor, merchantId: string, staffId: string): Promise<StaffUsersTable | undefined> {
  return db.selectFrom('staff_users').selectAll().where('merchant_id', '=', merchantId).where('id', '=', staffId).executeTakeFirst();
}

/** Staff with this email, at every merchant (one person may work for two shops). */
export async function findStaffByEmail(db: Executor, email: string): Promise<StaffUsersTable[]> {
  return db.selectFrom('staff_users').selectAll().where('email', '=', email).execute();
}

export async function listStaffRows(db: Executor, merchantId: string): Promise<StaffUsersTable[]> {
  return db.selectFrom('staff_users').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at_ms').orderBy('id').execute();
}

export async function insertSession(db: Executor, row: StaffSessionsTable): Promise<void> {
  await db.insertInto('staff_sessions').values(row).execute();
}

export async function findSession(db: Executor, tokenHash: string): Promise<StaffSessionsTable | undefined> {
  return db.selectFrom('staff_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOfStaff(db: Executor, merchantId: string, staffId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('merchant_id', '=', merchantId).where('staff_id', '=', staffId).execute();
}

export async function insertPointGrant(db: Executor, row: StaffPointGrantsTable): Promise<void> {
  await db.insertInto('staff_point_grants').values(row).onConflict((conflict) => conflict.columns(['merchant_id', 'transaction_id']).doNothing()).execute();
}

export async function sumPointGrantsSince(db: Executor, merchantId: string, staffId: string, sinceMs: number): Promise<number> {
  const row = await db.selectFrom('staff_point_grants').select((eb) => eb.fn.sum<number>('points').as('total'))
    .where('merchant_id', '=', merchantId).where('staff_id', '=', staffId).where('at_ms', '>=', sinceMs).executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function findPointGrant(db: Executor, merchantId: string, transactionId: string): Promise<StaffPointGrantsTable | undefined> {
  return db.selectFrom('staff_point_grants').selectAll().where('merchant_id', '=', merchantId).where('transaction_id', '=', transactionId).executeTakeFirst();
}
