import type { EventMatcher } from '../../domain/analytics/event-funnel';
import { eventPaths } from '../../domain/analytics/flows';
import type { ServiceContext } from '../context';
import { analyticsSettings, rangeOf } from './analytics-settings';

export const sessionGapMs = 30 * 60_000;

export interface EventPathsRequest { from: string; to: string; event: EventMatcher; direction: 'after' | 'before'; steps: number; limit: number }

/** The most common paths of events right after (or before) each person's first occurrence of an event. */
export async function getEventPaths(ctx: ServiceContext, merchantId: string, request: EventPathsRequest): Promise<{ people: number; paths: { events: string[]; people: number }[] }> {
  const settings = await analyticsSettings(ctx, merchantId);
  const range = rangeOf(settings, request.from, request.to);
  const index = await ctx.analytics.current(merchantId);
  return eventPaths(index, { event: request.event, direction: request.direction, steps: request.steps, range, sessionGapMs, limit: request.limit });
}
