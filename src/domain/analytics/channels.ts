// Where a visit came from, classified into marketing channels the way analytics tools do by default
// (UTM parameters first, then click ids, then the referring site), with the merchant's own rules first.

export const defaultChannels = [
  'Share Link', 'LINE', 'Affiliate', 'Email', 'Paid Search', 'Paid Social', 'Organic Social', 'Organic Search', 'Referral', 'Direct',
] as const;
export const directChannel = 'Direct';

/** What an event tells about how the person arrived; all lower case. */
export interface Touch {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrerHost: string | null;
  clickId: string | null;
}

export interface ChannelRule {
  channel: string;
  /** Regular expressions (case-insensitive); every one given must match. */
  source?: string | undefined;
  medium?: string | undefined;
  campaign?: string | undefined;
  referrer?: string | undefined;
}

const clickIds = ['gclid', 'gbraid', 'wbraid', 'msclkid', 'fbclid', 'ttclid', 'li_fat_id'] as const;
const paidSearchClickIds = new Set(['gclid', 'gbraid', 'wbraid', 'msclkid']);
const paidSocialClickIds = new Set(['ttclid', 'li_fat_id']);

const socialSites = /(^|\.)(facebook|fb|m\.facebook|instagram|ig|tiktok|twitter|x|t\.co|youtube|youtu\.be|pinterest|linkedin|lnkd\.in|reddit|threads|pantip|messenger)(\.|$)|^(facebook|fb|instagram|ig|tiktok|twitter|x|youtube|pinterest|linkedin|reddit|threads|pantip|messenger)$/;
const searchSites = /(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|naver|ecosia|search\.brave)(\.|$)|^(google|bing|yahoo|duckduckgo|baidu|yandex|naver|ecosia)$/;
const lineSites = /(^|\.)(line\.me|lin\.ee|line\.naver\.jp)$|^line(_oa|oa|@)?$/;
const paidMedium = /^(.*cp.*|ppc|retargeting|paid.*|display|banner|ads?)$/;
const socialMedium = /^(social|social-network|social-media|social_media|sm|social network|social media)$/;
const emailPattern = /e[-_ ]?mail|newsletter/;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null;
}

function parseUrl(value: unknown): URL | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The touch an event carries: UTM values from `context.campaign` (or the page URL's query), a click
 * id from the page URL, and the referrer's host when it is another site. Null when the event carries
 * none of these (an internal page view or a server-side track).
 */
export function touchOf(properties: Record<string, unknown> | null, context: Record<string, unknown> | null): Touch | null {
  const campaign = record(context?.campaign);
  const page = record(context?.page);
  const url = parseUrl(page.url ?? properties?.url);
  const query = url?.searchParams;
  const source = text(campaign.source) ?? text(query?.get('utm_source'));
  const medium = text(campaign.medium) ?? text(query?.get('utm_medium'));
  const name = text(campaign.name) ?? text(query?.get('utm_campaign'));
  let clickId: string | null = null;
  for (const id of clickIds) if (query?.has(id)) { clickId = id; break; }
  const referrer = parseUrl(page.referrer ?? properties?.referrer);
  const referrerHost = referrer && referrer.hostname !== url?.hostname ? referrer.hostname.toLowerCase().replace(/^www\./, '') : null;
  if (!source && !medium && !name && !clickId && !referrerHost) return null;
  return { source, medium, campaign: name, referrerHost, clickId };
}

/** A stable key for a touch, so millions of events share a few thousand distinct touches. */
export function touchKey(touch: Touch): string {
  return [touch.source, touch.medium, touch.campaign, touch.referrerHost, touch.clickId].map((part) => part ?? '').join('\u0001');
}

export interface CompiledChannelRule { channel: string; tests: Array<[keyof Touch, RegExp]> }

export function compileChannelRules(rules: readonly ChannelRule[]): CompiledChannelRule[] {
  return rules.map((rule) => {
    const tests: Array<[keyof Touch, RegExp]> = [];
    if (rule.source !== undefined) tests.push(['source', new RegExp(rule.source, 'i')]);
    if (rule.medium !== undefined) tests.push(['medium', new RegExp(rule.medium, 'i')]);
    if (rule.campaign !== undefined) tests.push(['campaign', new RegExp(rule.campaign, 'i')]);
    if (rule.referrer !== undefined) tests.push(['referrerHost', new RegExp(rule.referrer, 'i')]);
    return { channel: rule.channel, tests };
  });
}

/** The channel of a touch (Direct for none): the merchant's rules in order, then the defaults. */
export function classifyChannel(touch: Touch | null, rules: readonly CompiledChannelRule[] = []): string {
  if (touch === null) return directChannel;
  for (const rule of rules) {
    if (rule.tests.length > 0 && rule.tests.every(([field, pattern]) => pattern.test(touch[field] ?? ''))) return rule.channel;
  }
  const { source, medium, referrerHost, clickId } = touch;
  const sourceOrReferrer = source ?? referrerHost ?? '';
  if (medium === 'share' || medium === 'share_link' || source === 'sentang') return 'Share Link';
  if (lineSites.test(sourceOrReferrer) || (referrerHost !== null && lineSites.test(referrerHost))) return 'LINE';
  if (medium === 'affiliate' || medium === 'affiliates') return 'Affiliate';
  if (emailPattern.test(source ?? '') || emailPattern.test(medium ?? '')) return 'Email';
  const paid = medium !== null && paidMedium.test(medium);
  if ((clickId !== null && paidSearchClickIds.has(clickId)) || (paid && searchSites.test(sourceOrReferrer))) return 'Paid Search';
  if ((clickId !== null && paidSocialClickIds.has(clickId)) || medium === 'paid_social' || medium === 'paidsocial' || (paid && socialSites.test(sourceOrReferrer))) return 'Paid Social';
  if (paid) return 'Paid Search';
  if (clickId === 'fbclid' || socialSites.test(sourceOrReferrer) || (medium !== null && socialMedium.test(medium))) return 'Organic Social';
  if (medium === 'organic' || searchSites.test(sourceOrReferrer)) return 'Organic Search';
  if (medium === 'referral' || medium === 'link' || referrerHost !== null || source !== null) return 'Referral';
  return directChannel;
}
