import { DomainError } from '../../domain/errors';
import { findMemberById } from '../../store/member-store';
import { findShareLink, listShareLinksOfMember, shareStats, type ShareStatsRow } from '../../store/share-links-store';
import type { ServiceContext } from '../context';
import { shareLinkView, type ShareLinkView } from './create-share-link';

export type ShareStats = Omit<ShareStatsRow, 'code'>;
const statsOf = ({ code: _code, ...stats }: ShareStatsRow): ShareStats => stats;

export async function getShareLink(ctx: ServiceContext, merchantId: string, code: string): Promise<ShareLinkView & { stats: ShareStats }> {
  const row = await findShareLink(ctx.store.db, merchantId, code.toUpperCase());
  if (!row) throw new DomainError('not_found', `No share link ${code}`);
  const stats = await shareStats(ctx.store.db, merchantId, [row.code]);
  return { ...shareLinkView(row), stats: statsOf(stats.get(row.code) as ShareStatsRow) };
}

/** A member's links, each with clicks, unique visitors, counted clicks, sign-ups, orders and revenue, and the totals. */
export async function listMemberShareLinks(ctx: ServiceContext, merchantId: string, memberId: string): Promise<{ links: (ShareLinkView & { stats: ShareStats })[]; totals: ShareStats }> {
  if (!(await findMemberById(ctx.store.db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`);
  const rows = await listShareLinksOfMember(ctx.store.db, merchantId, memberId);
  const stats = await shareStats(ctx.store.db, merchantId, rows.map((row) => row.code));
  const links = rows.map((row) => ({ ...shareLinkView(row), stats: statsOf(stats.get(row.code) as ShareStatsRow) }));
  const totals = links.reduce<ShareStats>((sum, link) => {
    for (const key of Object.keys(sum) as (keyof ShareStats)[]) sum[key] += link.stats[key];
    return sum;
  }, { clicks: 0, uniqueVisitors: 0, countedClicks: 0, signups: 0, orders: 0, revenueSatang: 0 });
  return { links, totals };
}
