import { PeriodBuckets, type PeriodUnit } from '../../domain/analytics/calendar';
import { eventFunnel, type EventFunnelResult, type EventMatcher, type FunnelBreakdown } from '../../domain/analytics/event-funnel';
import type { FunnelOrder } from '../../domain/analytics/funnel-scan';
import { DomainError } from '../../domain/errors';
import type { ServiceContext } from '../context';
import { analyticsSettings, rangeOf } from './analytics-settings';

export interface EventFunnelRequest {
  from: string;
  to: string;
  steps: EventMatcher[];
  order: FunnelOrder;
  windowSeconds: number;
  exclusions: (EventMatcher & { fromStep: number; toStep: number })[];
  breakdown?: FunnelBreakdown | undefined;
  trend?: PeriodUnit | undefined;
  dropped?: { atStep: number; cursor?: string | undefined; limit: number } | undefined;
}

/** An event funnel for people whose first step falls between two dates (the merchant's calendar). */
export async function runEventFunnel(ctx: ServiceContext, merchantId: string, request: EventFunnelRequest): Promise<EventFunnelResult & { nextCursor: string | null }> {
  const stepCount = request.steps.length;
  for (const exclusion of request.exclusions) {
    if (request.order === 'any') throw new DomainError('invalid_request', 'Exclusions need an ordered or strict funnel');
    if (exclusion.fromStep >= exclusion.toStep || exclusion.toStep >= stepCount) {
      throw new DomainError('invalid_request', `An exclusion's fromStep must come before its toStep, both steps of the funnel (0–${stepCount - 1})`);
    }
  }
  if (request.breakdown?.source === 'event' && request.breakdown.attribution === 'step' && (request.breakdown.step ?? -1) >= stepCount) {
    throw new DomainError('invalid_request', `breakdown.step must be a step of the funnel (0–${stepCount - 1})`);
  }
  if (request.dropped && request.dropped.atStep >= stepCount - 1) {
    throw new DomainError('invalid_request', `dropped.atStep must be a step before the last (0–${stepCount - 2})`);
  }
  const settings = await analyticsSettings(ctx, merchantId);
  const range = rangeOf(settings, request.from, request.to);
  const index = await ctx.analytics.current(merchantId);
  const dropped = request.dropped;
  const result = eventFunnel(index, {
    steps: request.steps, order: request.order, windowMs: request.windowSeconds * 1000, range, exclusions: request.exclusions,
    breakdown: request.breakdown ?? null,
    trend: request.trend ? new PeriodBuckets(range, request.trend, settings.timeZone) : null,
    dropped: dropped ? { atStep: dropped.atStep, afterPersonId: dropped.cursor ?? null, limit: dropped.limit + 1 } : null,
  });
  let nextCursor: string | null = null;
  if (dropped && result.dropped && result.dropped.length > dropped.limit) {
    result.dropped = result.dropped.slice(0, dropped.limit);
    nextCursor = result.dropped[result.dropped.length - 1]?.personId ?? null;
  }
  return { ...result, nextCursor };
}
