// Every SQL statement of tiers.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TierProgram } from '../domain/tiers/tier-program';
import type { Database, MemberTiersTable, TierChangesTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export async function findTierProgram(db: Executor, merchantId: string): Promise<TierProgram | null> {
  const row = await db.selectFrom('tier_programs').select('program_json').where('merchant_id', '=', merchantId).executeTakeFirst();
  return row ? (JSON.parse(row.program_json) as TierProgram) : null;
}

export async function saveTierProgram(db: Executor, merchantId: string, program: TierProgram, nowMs: number): Promise<void> {
  await db.insertInto('tier_programs').values({ merchant_id: merchantId, program_json: JSON.stringify(program), updated_at_ms: nowMs })
    .onConflict((conflict) => conflict.column('merchant_id').doUpdateSet({ program_json: (eb) => eb.ref('excluded.program_json'), updated_at_ms: (eb) => eb.ref('excluded.updated_at_ms') }))
    .execute();
}

export async function findMemberTiers(db: Executor, merchantId: string, memberIds: string[]): Promise<MemberTiersTable[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('member_tiers').selectAll().where('merchant_id', '=', merchantId).where('member_id', 'in', memberIds).execute();
}

export async function listMembersWithTier(db: Executor, merchantId: string): Promise<string[]> {
  return (await db.selectFrom('member_tiers').select('member_id').where('merchant_id', '=', merchantId).execute()).map((row) => row.member_id);
}

export async function upsertMemberTier(db: Executor, row: MemberTiersTable): Promise<void> {
  await db.insertInto('member_tiers').values(row).onConflict((conflict) => conflict.columns(['merchant_id', 'member_id']).doUpdateSet({
    tier_key: (eb) => eb.ref('excluded.tier_key'), since_ms: (eb) => eb.ref('excluded.since_ms'), below_since_ms: (eb) => eb.ref('excluded.below_since_ms'),
  })).execute();
}

export async function insertTierChange(db: Executor, row: TierChangesTable): Promise<void> {
  await db.insertInto('tier_changes').values(row).execute();
}

export async function listTierChanges(db: Executor, merchantId: string, memberId: string): Promise<TierChangesTable[]> {
  return db.selectFrom('tier_changes').selectAll().where('merchant_id', '=', merchantId).where('member_id', '=', memberId).orderBy('at_ms').execute();
}

/** Points a member earned since `sinceMs`, less what was reversed since then. */
export async function sumEarnedPoints(db: Executor, merchantId: string, memberId: string, sinceMs: number): Promise<number> {
  const rows = await db.selectFrom('points_transactions').select(['kind', sql<number>`sum(points)`.as('points')])
    .where('merchant_id', '=', merchantId).where('member_id', '=', memberId).where('kind', 'in', ['earn', 'reverse'])
    .where('created_at_ms', '>=', sinceMs).groupBy('kind').execute();
  const total = (kind: string) => Number(rows.find((row) => row.kind === kind)?.points ?? 0);
  return total('earn') - total('reverse');
}
