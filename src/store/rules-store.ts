// Every SQL statement of earning rules and their awards.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { EarningRule } from '../domain/rules/earning-rule';
import type { Database, EarningRulesTable, PointAwardsTable } from './schema';
import { chunk } from './chunk';

type Executor = Kysely<Database> | Transaction<Database>;

export function ruleFromRow(row: EarningRulesTable): EarningRule {
  return {
    id: row.id, name: row.name, event: row.event, conditions: JSON.parse(row.conditions_json), award: JSON.parse(row.award_json),
    caps: JSON.parse(row.caps_json), startsAtMs: row.starts_at_ms, endsAtMs: row.ends_at_ms, pendingDays: row.pending_days,
    expiresInDays: row.expires_in_days, active: row.active === 1,
  };
}

export function ruleToRow(merchantId: string, rule: EarningRule, nowMs: number): EarningRulesTable {
  return {
    merchant_id: merchantId, id: rule.id, name: rule.name, event: rule.event, conditions_json: JSON.stringify(rule.conditions),
    award_json: JSON.stringify(rule.award), caps_json: JSON.stringify(rule.caps), starts_at_ms: rule.startsAtMs, ends_at_ms: rule.endsAtMs,
    pending_days: rule.pendingDays, expires_in_days: rule.expiresInDays, active: rule.active ? 1 : 0, created_at_ms: nowMs, updated_at_ms: nowMs,
  };
}

export async function insertRule(db: Executor, row: EarningRulesTable): Promise<void> {
  await db.insertInto('earning_rules').values(row).execute();
}

export async function updateRule(db: Executor, merchantId: string, ruleId: string, row: Partial<EarningRulesTable>): Promise<void> {
  await db.updateTable('earning_rules').set(row).where('merchant_id', '=', merchantId).where('id', '=', ruleId).execute();
}

export async function findRule(db: Executor, merchantId: string, ruleId: string): Promise<EarningRule | undefined> {
  const row = await db.selectFrom('earning_rules').selectAll().where('merchant_id', '=', merchantId).where('id', '=', ruleId).executeTakeFirst();
  return row ? ruleFromRow(row) : undefined;
}

export async function listRules(db: Executor, merchantId: string, onlyActive = false): Promise<EarningRule[]> {
  let query = db.selectFrom('earning_rules').selectAll().where('merchant_id', '=', merchantId);
  if (onlyActive) query = query.where('active', '=', 1);
  return (await query.orderBy('created_at_ms').orderBy('id').execute()).map(ruleFromRow);
}

/**
 * Earns already planned for each (member, rule) pair since that pair's own instant, read in a few
 * statements for a whole batch. Keyed "memberId:ruleId".
 */
export async function findPastAwardsOfPairs(db: Executor, merchantId: string, pairs: { memberId: string; ruleId: string; sinceMs: number }[]): Promise<Map<string, { points: number; atMs: number }[]>> {
  const past = new Map<string, { points: number; atMs: number }[]>(pairs.map((pair) => [`${pair.memberId}:${pair.ruleId}`, []]));
  if (pairs.length === 0) return past;
  const sinceOf = new Map(pairs.map((pair) => [`${pair.memberId}:${pair.ruleId}`, pair.sinceMs]));
  const earliestMs = Math.min(...pairs.map((pair) => pair.sinceMs));
  const ruleIds = [...new Set(pairs.map((pair) => pair.ruleId))];
  const memberIds = [...new Set(pairs.map((pair) => pair.memberId))];
  for (const page of chunk(memberIds)) {
    let query = db.selectFrom('point_awards').select(['member_id', 'rule_id', 'points', 'event_at_ms'])
      .where('merchant_id', '=', merchantId).where('member_id', 'in', page).where('rule_id', 'in', ruleIds)
      .where('kind', '=', 'earn').where('status', '<>', 'failed');
    // -Infinity (all time, for once-per-member) has no bigint form.
    if (Number.isFinite(earliestMs)) query = query.where('event_at_ms', '>=', earliestMs);
    for (const row of await query.execute()) {
      const key = `${row.member_id}:${row.rule_id}`;
      const sinceMs = sinceOf.get(key);
      if (sinceMs !== undefined && row.event_at_ms >= sinceMs) past.get(key)?.push({ points: row.points, atMs: row.event_at_ms });
    }
  }
  return past;
}

/** Awards of one rule to one member (not failed) since `sinceMs`: what the caps count. */
export async function findPastAwards(db: Executor, merchantId: string, memberId: string, ruleId: string, sinceMs: number): Promise<{ points: number; atMs: number }[]> {
  return (await findPastAwardsOfPairs(db, merchantId, [{ memberId, ruleId, sinceMs }])).get(`${memberId}:${ruleId}`) ?? [];
}

export async function insertAwards(db: Executor, rows: PointAwardsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('point_awards').values(rows).onConflict((conflict) => conflict.columns(['merchant_id', 'id']).doNothing()).execute();
}

export async function findEarnAwardsOfOrder(db: Executor, merchantId: string, orderId: string): Promise<PointAwardsTable[]> {
  return db.selectFrom('point_awards').selectAll().where('merchant_id', '=', merchantId).where('order_id', '=', orderId)
    .where('kind', '=', 'earn').where('status', '<>', 'failed').execute();
}

export async function findPendingAwards(db: Executor, merchantId: string, limit: number): Promise<PointAwardsTable[]> {
  return db.selectFrom('point_awards').selectAll().where('merchant_id', '=', merchantId).where('status', '=', 'pending')
    .orderBy('created_at_ms').orderBy('id').limit(limit).execute();
}

export async function findAward(db: Executor, merchantId: string, awardId: string): Promise<PointAwardsTable | undefined> {
  return db.selectFrom('point_awards').selectAll().where('merchant_id', '=', merchantId).where('id', '=', awardId).executeTakeFirst();
}

export type AwardMark = { awardId: string } & Pick<PointAwardsTable, 'status'> & Partial<Pick<PointAwardsTable, 'transaction_id' | 'failure'>>;

/**
 * Records what became of pending awards, one statement per 500 (a round trip each on PostgreSQL);
 * an award no longer pending is left as it is.
 */
export async function markAwards(db: Executor, merchantId: string, marks: AwardMark[]): Promise<void> {
  for (const page of chunk(marks)) {
    const rows = sql.join(page.map((mark) => sql`(${mark.awardId}, ${mark.status}, ${mark.transaction_id ?? null}, ${mark.failure ?? null})`));
    // A common table of the new values joined by id (UPDATE … FROM: SQLite 3.33+ and PostgreSQL).
    // A subquery per column instead scanned the 500 marks three times for every row: 12 ms per 500 on SQLite.
    await sql`with marks (id, status, transaction_id, failure) as (values ${rows})
      update point_awards set status = marks.status, transaction_id = marks.transaction_id, failure = marks.failure
      from marks
      where point_awards.merchant_id = ${merchantId} and point_awards.id = marks.id and point_awards.status = 'pending'`.execute(db);
  }
}

export async function findMerchantsWithPendingAwards(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('point_awards').select('merchant_id').distinct().where('status', '=', 'pending').execute();
  return rows.map((row) => row.merchant_id);
}
