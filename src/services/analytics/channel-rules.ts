import type { ChannelRule } from '../../domain/analytics/channels';
import { defaultChannels } from '../../domain/analytics/channels';
import { DomainError } from '../../domain/errors';
import { findMerchantById, updateMerchant } from '../../store/merchant-store';
import type { ServiceContext } from '../context';

export async function getChannelRules(ctx: ServiceContext, merchantId: string): Promise<{ rules: ChannelRule[]; defaultChannels: string[] }> {
  const merchant = await findMerchantById(ctx.store.db, merchantId);
  if (!merchant) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  return { rules: JSON.parse(merchant.channel_rules_json) as ChannelRule[], defaultChannels: [...defaultChannels] };
}

/** Replaces the merchant's own channel rules (tried in order, before the default ones). */
export async function saveChannelRules(ctx: ServiceContext, merchantId: string, rules: ChannelRule[]): Promise<{ rules: ChannelRule[]; defaultChannels: string[] }> {
  rules.forEach((rule, at) => {
    const patterns = [rule.source, rule.medium, rule.campaign, rule.referrer].filter((pattern) => pattern !== undefined);
    if (patterns.length === 0) throw new DomainError('invalid_request', `Channel rule ${at} needs at least one of source, medium, campaign or referrer`);
    for (const pattern of patterns) {
      try {
        new RegExp(pattern, 'i');
      } catch {
        throw new DomainError('invalid_request', `Channel rule ${at}: "${pattern}" is not a valid regular expression`);
      }
    }
  });
  if (!(await findMerchantById(ctx.store.db, merchantId))) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  await updateMerchant(ctx.store.db, merchantId, { channel_rules_json: JSON.stringify(rules), updated_at_ms: ctx.nowMs() });
  return { rules, defaultChannels: [...defaultChannels] };
}
