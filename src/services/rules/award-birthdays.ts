import { localDate } from '../../domain/ledger/expiry-policy';
import { birthdaysCelebratedOn } from '../../domain/rules/birthday';
import { basePoints } from '../../domain/rules/earning-rule';
import { findMembersWithBirthday } from '../../store/member-store';
import { findMerchantById, listMerchants } from '../../store/merchant-store';
import { insertAwards, listRules } from '../../store/rules-store';
import type { PointAwardsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { scheduleAwards } from './schedule-awards';

const dayMs = 86_400_000;

/**
 * Awards the merchant's `Birthday` rules to members whose birthday it is today in the merchant's
 * time zone. Run it as often as you like (the server does hourly): an award's id names the member
 * and the year, so each birthday is celebrated once. @returns how many awards were due (ones given before are skipped)
 */
export async function awardBirthdays(ctx: ServiceContext, merchantId?: string): Promise<number> {
  const merchantIds = merchantId ? [merchantId] : (await listMerchants(ctx.store.db)).map((merchant) => merchant.id);
  let added = 0;
  for (const id of merchantIds) {
    const merchant = await findMerchantById(ctx.store.db, id);
    const rules = (await listRules(ctx.store.db, id, true)).filter((rule) => rule.event === 'Birthday');
    if (!merchant || rules.length === 0) continue;
    const nowMs = ctx.nowMs();
    const today = localDate(nowMs, merchant.time_zone);
    const members = await findMembersWithBirthday(ctx.store.db, id, birthdaysCelebratedOn(today));
    const awards: PointAwardsTable[] = [];
    for (const member of members) {
      for (const rule of rules) {
        const points = basePoints(rule, { name: 'Birthday', type: 'track', properties: null, timestampMs: nowMs });
        if (points <= 0) continue;
        const availableAtMs = nowMs + rule.pendingDays * dayMs;
        awards.push({
          merchant_id: id, id: `${rule.id}:birthday:${member.id}:${today.slice(0, 4)}`, kind: 'earn', rule_id: rule.id, member_id: member.id, points,
          event_id: `birthday:${today}`, order_id: null, event_at_ms: nowMs, available_at_ms: availableAtMs,
          expires_at_ms: rule.expiresInDays === null ? null : availableAtMs + rule.expiresInDays * dayMs,
          reverses_award_id: null, status: 'pending', transaction_id: null, failure: null, created_at_ms: nowMs,
        });
      }
    }
    await insertAwards(ctx.store.db, awards);
    added += awards.length;
    if (awards.length > 0) await scheduleAwards(ctx, id);
  }
  return added;
}
