// Every SQL statement of share links, their clicks and the conversions that came through them.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, ShareClicksTable, ShareConversionsTable, ShareLinksTable } from './schema';
import { chunk } from './chunk';

type Executor = Kysely<Database> | Transaction<Database>;

export async function insertShareLink(db: Executor, row: ShareLinksTable): Promise<void> {
  await db.insertInto('share_links').values(row).execute();
}

/** The link behind a public /s/{code}: codes are random enough to be looked up across merchants. */
export async function findShareLinkByCode(db: Executor, code: string): Promise<ShareLinksTable | undefined> {
  return db.selectFrom('share_links').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findShareLink(db: Executor, merchantId: string, code: string): Promise<ShareLinksTable | undefined> {
  return db.selectFrom('share_links').selectAll().where('merchant_id', '=', merchantId).where('code', '=', code).executeTakeFirst();
}

export async function listShareLinksOfMember(db: Executor, merchantId: string, memberId: string): Promise<ShareLinksTable[]> {
  return db.selectFrom('share_links').selectAll().where('merchant_id', '=', merchantId).where('member_id', '=', memberId).orderBy('created_at_ms').execute();
}

export async function insertShareClick(db: Executor, row: ShareClicksTable): Promise<void> {
  await db.insertInto('share_clicks').values(row).execute();
}

export async function hasCountedClick(db: Executor, merchantId: string, code: string, visitorId: string): Promise<boolean> {
  const row = await db.selectFrom('share_clicks').select('id').where('merchant_id', '=', merchantId).where('code', '=', code)
    .where('visitor_id', '=', visitorId).where('counted', '=', 1).executeTakeFirst();
  return row !== undefined;
}

/** The latest counted click by any of these visitors since the time: the link a conversion came through. */
export async function findLatestCountedClick(db: Executor, merchantId: string, visitorIds: string[], sinceMs: number, untilMs: number): Promise<ShareClicksTable | undefined> {
  if (visitorIds.length === 0) return undefined;
  return db.selectFrom('share_clicks').selectAll().where('merchant_id', '=', merchantId).where('visitor_id', 'in', visitorIds)
    .where('counted', '=', 1).where('at_ms', '>=', sinceMs).where('at_ms', '<=', untilMs).orderBy('at_ms', 'desc').limit(1).executeTakeFirst();
}

/** Which of these visitors have a counted click between the two instants (a few statements for a batch). */
export async function findVisitorsWithCountedClicks(db: Executor, merchantId: string, visitorIds: string[], sinceMs: number, untilMs: number): Promise<Set<string>> {
  const clickers = new Set<string>();
  for (const page of chunk(visitorIds)) {
    const rows = await db.selectFrom('share_clicks').select('visitor_id').distinct().where('merchant_id', '=', merchantId)
      .where('visitor_id', 'in', page).where('counted', '=', 1).where('at_ms', '>=', sinceMs).where('at_ms', '<=', untilMs).execute();
    rows.forEach((row) => clickers.add(row.visitor_id));
  }
  return clickers;
}

/** Records a conversion once per event. @returns whether it was new */
export async function insertShareConversion(db: Executor, row: ShareConversionsTable): Promise<boolean> {
  const result = await db.insertInto('share_conversions').values(row).onConflict((conflict) => conflict.columns(['merchant_id', 'event_id']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface ShareStatsRow { code: string; clicks: number; uniqueVisitors: number; countedClicks: number; signups: number; orders: number; revenueSatang: number }

export async function shareStats(db: Executor, merchantId: string, codes: string[]): Promise<Map<string, ShareStatsRow>> {
  const stats = new Map<string, ShareStatsRow>(codes.map((code) => [code, { code, clicks: 0, uniqueVisitors: 0, countedClicks: 0, signups: 0, orders: 0, revenueSatang: 0 }]));
  if (codes.length === 0) return stats;
  const clicks = await db.selectFrom('share_clicks')
    .select(['code', sql<number>`count(*)`.as('clicks'), sql<number>`count(distinct visitor_id)`.as('unique_visitors'), sql<number>`sum(counted)`.as('counted')])
    .where('merchant_id', '=', merchantId).where('code', 'in', codes).groupBy('code').execute();
  for (const row of clicks) Object.assign(stats.get(row.code) as ShareStatsRow, { clicks: Number(row.clicks), uniqueVisitors: Number(row.unique_visitors), countedClicks: Number(row.counted) });
  const conversions = await db.selectFrom('share_conversions')
    .select(['code', 'kind', sql<number>`count(*)`.as('count'), sql<number>`sum(revenue_satang)`.as('revenue')])
    .where('merchant_id', '=', merchantId).where('code', 'in', codes).groupBy(['code', 'kind']).execute();
  for (const row of conversions) {
    const entry = stats.get(row.code) as ShareStatsRow;
    if (row.kind === 'signup') entry.signups = Number(row.count);
    else {
      entry.orders = Number(row.count);
      entry.revenueSatang = Number(row.revenue ?? 0);
    }
  }
  return stats;
}
