// A living demo: a Bangkok café chain's last 90 days, made through the real services (ingestion,
// rules, ledger, referrals, share links, UGC, rewards) so every number on screen agrees.
import { demoMemberExternalId, demoMemberTraits } from '../portal/member-sessions';
import { DomainError } from '../../domain/errors';
import { seededRandom } from '../../domain/seeded-random';
import type { ServiceContext } from '../context';
import { ingestEvents } from '../events/ingest-events';
import { updateMerchantSettings } from '../merchants/update-merchant-settings';
import { createReferral } from '../referrals/create-referral';
import { getReferralCode } from '../referrals/get-referral-code';
import { createReward } from '../rewards/manage-rewards';
import { redeemReward } from '../rewards/redeem-reward';
import { createEarningRule, listEarningRules } from '../rules/manage-earning-rules';
import { scheduleAwards } from '../rules/schedule-awards';
import { createShareLink } from '../sharing/create-share-link';
import { followShareLink } from '../sharing/follow-share-link';
import { saveTierProgramFor } from '../tiers/manage-tier-program';
import { upgradeTiers } from '../tiers/upgrade-tiers';
import { approveUgc } from '../ugc/moderate-ugc';
import { submitUgc } from '../ugc/submit-ugc';
import { getBalance } from '../points/get-balance';
import { findMemberBy } from '../../store/member-store';
import { getOverview } from '../overview/get-overview';

const dayMs = 86_400_000;

const firstNames = ['Somchai', 'Nok', 'Ploy', 'Fon', 'Bee', 'Mint', 'Ton', 'Nan', 'Aom', 'Beam', 'Earth', 'Fah', 'Gift', 'Jane', 'Kwan', 'May', 'Pim', 'Tarn'];
const touches = [
  { campaign: { source: 'facebook', medium: 'cpc', name: 'cold-brew' } },
  { campaign: { source: 'line', medium: 'broadcast', name: 'weekly' } },
  { page: { url: 'https://demo-cafe.example/', referrer: 'https://www.google.co.th/' } },
  { page: { url: 'https://demo-cafe.example/', referrer: 'https://www.instagram.com/' } },
  { campaign: { source: 'newsletter', medium: 'email', name: 'november' } },
  {},
];
const products = ['latte', 'cold-brew', 'thai-tea', 'croissant', 'mango-sticky-rice'];

export interface DemoSummary { members: number; events: number; referrals: number; shareClicks: number; ugc: number; redemptions: number }

/** Fills the merchant with `members` customers over the last `days` days. Meant for an empty demo merchant. */
export async function seedDemoData(ctx: ServiceContext, merchantId: string, options: { members?: number; days?: number; seed?: number } = {}): Promise<DemoSummary> {
  const memberCount = options.members ?? 2000;
  const days = options.days ?? 90;
  const next = seededRandom(options.seed ?? 20261122); // the same demo every time
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const nowMs = ctx.nowMs();

  await updateMerchantSettings(ctx, merchantId, { websiteUrl: 'https://demo-cafe.example/' });
  if ((await listEarningRules(ctx, merchantId)).length === 0) {
    for (const template of ['purchase', 'first_purchase', 'sign_up', 'referral_converted', 'referral_accepted', 'verified_share', 'share_converted', 'ugc_approved', 'birthday']) {
      await createEarningRule(ctx, merchantId, { template });
    }
  }
  await saveTierProgramFor(ctx, merchantId, {
    basis: 'points_earned', windowMonths: 12, graceDays: 30,
    tiers: [
      { key: 'member', name: 'Member', threshold: 0, multiplierPercent: 100, benefits: '' },
      { key: 'silver', name: 'Silver', threshold: 150, multiplierPercent: 125, benefits: 'Free size upgrade' },
      { key: 'gold', name: 'Gold', threshold: 400, multiplierPercent: 150, benefits: 'Free drink every month' },
    ],
  });
  const latte = await createReward(ctx, merchantId, { nameTh: 'ลาเต้ฟรี 1 แก้ว', nameEn: 'A free latte', kind: 'free_item', value: 6500, costPoints: 60, stock: 500 });
  await createReward(ctx, merchantId, { nameTh: 'ส่วนลด 50 บาท', nameEn: '50 baht off', kind: 'amount_off', value: 5000, minOrderSatang: 20000, costPoints: 100 });
  await createReward(ctx, merchantId, { nameTh: 'ลด 10% ซื้อครั้งแรก', nameEn: '10% off your first order', kind: 'percent_off', value: 10, costPoints: 0, issueOnSignup: true, couponValidDays: 30 });

  // Each customer: a first visit from a channel, browsing, and for most a sign-up and orders.
  let events = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    events += (await ingestEvents(ctx, merchantId, batch, null)).stored;
    batch = [];
  };
  for (let customer = 0; customer < memberCount; customer += 1) {
    const anonymousId = `demo-visitor-${customer}`;
    let atMs = nowMs - Math.floor(next() * days * dayMs);
    const at = () => new Date(atMs).toISOString();
    const touch = pick(touches);
    batch.push({ type: 'page', name: 'Home', anonymousId, timestamp: at(), messageId: `demo-${customer}-0`, ...(Object.keys(touch).length > 0 ? { context: touch } : {}) });
    const views = 1 + Math.floor(next() * 5);
    for (let view = 0; view < views; view += 1) {
      atMs += 30_000 + Math.floor(next() * 600_000);
      batch.push({ type: 'track', event: 'Product Viewed', anonymousId, timestamp: at(), messageId: `demo-${customer}-v${view}`, properties: { product_id: pick(products) } });
    }
    if (next() < 0.7) {
      const userId = `demo-member-${customer}`;
      atMs += 60_000;
      batch.push({
        type: 'identify', userId, anonymousId, timestamp: at(), messageId: `demo-${customer}-id`,
        traits: { name: `${pick(firstNames)} ${String.fromCharCode(65 + (customer % 26))}.`, phone: `08${String(10_000_000 + customer * 7919 % 89_999_999).padStart(8, '0')}` },
      });
      batch.push({ type: 'track', event: 'Signed Up', userId, timestamp: at(), messageId: `demo-${customer}-su` });
      const orders = next() < 0.8 ? 1 + Math.floor(next() * next() * 6) : 0;
      for (let order = 0; order < orders && atMs < nowMs; order += 1) {
        batch.push({
          type: 'track', event: 'Order Completed', userId, timestamp: at(), messageId: `demo-${customer}-o${order}`,
          properties: { order_id: `demo-${customer}-${order}`, revenue: 60 + Math.floor(next() * 390), products: [pick(products)] },
        });
        atMs += Math.floor(next() * 14 * dayMs);
      }
    }
    if (batch.length >= 400) await flush();
  }
  // The member the portal's "try it" button signs in as: a regular with a few recent orders.
  const demoVisitor = 'demo-visitor-portal';
  batch.push({ type: 'page', name: 'Home', anonymousId: demoVisitor, timestamp: new Date(nowMs - 62 * dayMs).toISOString(), messageId: 'demo-portal-0', context: { campaign: { source: 'line', medium: 'social' } } });
  batch.push({ type: 'identify', userId: demoMemberExternalId, anonymousId: demoVisitor, timestamp: new Date(nowMs - 61 * dayMs).toISOString(), messageId: 'demo-portal-id', traits: { ...demoMemberTraits } });
  batch.push({ type: 'track', event: 'Signed Up', userId: demoMemberExternalId, timestamp: new Date(nowMs - 61 * dayMs).toISOString(), messageId: 'demo-portal-su' });
  for (const [order, daysAgo] of [45, 30, 16, 9, 2].entries()) {
    batch.push({
      type: 'track', event: 'Order Completed', userId: demoMemberExternalId, timestamp: new Date(nowMs - daysAgo * dayMs).toISOString(), messageId: `demo-portal-o${order}`,
      properties: { order_id: `demo-portal-${order}`, revenue: 180 + order * 45, products: [pick(products)] },
    });
  }
  await flush();
  await scheduleAwards(ctx, merchantId);

  // Advocacy: referrals, shared links with clicks, reviews; and some redemptions.
  const memberOf = async (customer: number) => (await findMemberBy(ctx.store.db, merchantId, 'external_id', `demo-member-${customer}`))?.id ?? null;
  let referrals = 0;
  let shareClicks = 0;
  let ugc = 0;
  let redemptions = 0;
  const memberIds: string[] = [];
  for (let customer = 0; customer < memberCount && memberIds.length < Math.min(300, memberCount); customer += 1) {
    const id = await memberOf(customer);
    if (id) memberIds.push(id);
  }
  // A fifth of them refer friends, a tenth share links, some review, and the rest may redeem.
  const slice = (from: number, to: number) => memberIds.slice(Math.floor(memberIds.length * from), Math.floor(memberIds.length * to));
  const referring = slice(0, 0.2);
  for (let at = 0; at + 1 < referring.length; at += 2) {
    const { code } = await getReferralCode(ctx, merchantId, referring[at] as string);
    try {
      await createReferral(ctx, merchantId, { code, refereeMemberId: referring[at + 1] as string });
      referrals += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  for (const sharer of slice(0.2, 0.3)) {
    const link = await createShareLink(ctx, merchantId, { url: `https://demo-cafe.example/menu/${pick(products)}`, memberId: sharer, campaign: 'friends' });
    const clicks = 1 + Math.floor(next() * 4);
    for (let click = 0; click < clicks; click += 1) {
      await followShareLink(ctx, link.code, `sv_demo${link.code}${click}`);
      shareClicks += 1;
    }
  }
  const reviews = ['อร่อยมาก บรรยากาศดี', 'Best cold brew in Ari', 'ขนมสดใหม่ทุกวัน', 'Friendly staff, great latte'];
  for (const author of slice(0.3, 0.45)) {
    const item = await submitUgc(ctx, merchantId, { memberId: author, kind: 'review', rating: 3 + Math.floor(next() * 3), text: pick(reviews), productId: pick(products), consent: true });
    if (next() < 0.75) await approveUgc(ctx, merchantId, item.id);
    ugc += 1;
  }
  await scheduleAwards(ctx, merchantId);
  await upgradeTiers(ctx, merchantId, memberIds);
  for (const memberId of slice(0.45, 1)) {
    if ((await getBalance(ctx, merchantId, memberId)).availablePoints < 60) continue;
    await redeemReward(ctx, merchantId, latte.id, { memberId });
    redemptions += 1;
  }
  return { members: (await getOverview(ctx, merchantId)).members, events, referrals, shareClicks, ugc, redemptions };
}
