import { PeriodBuckets } from '../../domain/analytics/calendar';
import type { EventMatcher } from '../../domain/analytics/event-funnel';
import { retention, type RetentionCohort, type RetentionMode } from '../../domain/analytics/retention';
import type { ServiceContext } from '../context';
import { analyticsSettings, rangeOf } from './analytics-settings';

export interface RetentionRequest {
  from: string;
  to: string;
  period: 'week' | 'month';
  periods: number;
  startEvent: EventMatcher | null;
  returnEvent: EventMatcher | null;
  mode: RetentionMode;
}

/** Cohorts by the period of each person's first start event, and who came back in the periods after. */
export async function getRetention(ctx: ServiceContext, merchantId: string, request: RetentionRequest): Promise<{ period: string; periods: number; mode: RetentionMode; cohorts: RetentionCohort[] }> {
  const settings = await analyticsSettings(ctx, merchantId);
  const range = rangeOf(settings, request.from, request.to);
  const index = await ctx.analytics.current(merchantId);
  const buckets = new PeriodBuckets(range, request.period, settings.timeZone, request.periods);
  const { cohorts } = retention(index, { startEvent: request.startEvent, returnEvent: request.returnEvent, range, buckets, periods: request.periods, mode: request.mode });
  return { period: request.period, periods: request.periods, mode: request.mode, cohorts };
}
