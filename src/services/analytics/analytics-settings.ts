import type { AnalyticsIndex } from '../../domain/analytics/analytics-index';
import { dateRange, type TimeRange } from '../../domain/analytics/calendar';
import { classifyChannel, compileChannelRules, type ChannelRule } from '../../domain/analytics/channels';
import { DomainError } from '../../domain/errors';
import { findMerchantById } from '../../store/merchant-store';
import type { ServiceContext } from '../context';
import { stageDefinitionsOf } from '../journey/advance-journey';

export interface AnalyticsSettings {
  timeZone: string;
  atRiskMs: number;
  channelRules: ChannelRule[];
  stages: { key: string; name: string }[];
}

/** What every analytics answer depends on besides the index: the merchant's calendar, stages and channels. */
export async function analyticsSettings(ctx: ServiceContext, merchantId: string): Promise<AnalyticsSettings> {
  const merchant = await findMerchantById(ctx.store.db, merchantId);
  if (!merchant) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  const stages = await stageDefinitionsOf(ctx.store.db, merchantId);
  return {
    timeZone: merchant.time_zone,
    atRiskMs: merchant.at_risk_days * 86_400_000,
    channelRules: JSON.parse(merchant.channel_rules_json) as ChannelRule[],
    stages: stages.map((stage) => ({ key: stage.key, name: stage.name })),
  };
}

/** The channel of every touch the index knows, by touch id (0: no touch, Direct). */
export function channelsOfTouches(index: AnalyticsIndex, rules: readonly ChannelRule[]): string[] {
  const compiled = compileChannelRules(rules);
  return index.touches.values.map((touch) => classifyChannel(touch, compiled));
}

export function rangeOf(settings: AnalyticsSettings, from: string, to: string): TimeRange {
  return dateRange(from, to, settings.timeZone);
}

export function stageIndexOf(settings: AnalyticsSettings, stageKey: string): number {
  const at = settings.stages.findIndex((stage) => stage.key === stageKey);
  if (at < 0) throw new DomainError('invalid_request', `No journey stage "${stageKey}"; the stages are ${settings.stages.map((stage) => stage.key).join(', ')}`);
  return at;
}
