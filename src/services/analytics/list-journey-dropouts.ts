import { droppedAtStage, type DroppedPerson } from '../../domain/analytics/journey-funnel';
import type { ServiceContext } from '../context';
import { analyticsSettings, rangeOf, stageIndexOf } from './analytics-settings';

export interface JourneyDropoutsRequest { from: string; to: string; stage: string; cursor?: string | undefined; limit: number }

/** People first seen in the range who reached the stage but not the next one, a page at a time. */
export async function listJourneyDropouts(ctx: ServiceContext, merchantId: string, request: JourneyDropoutsRequest): Promise<{ stage: string; nextStage: string | null; people: DroppedPerson[]; nextCursor: string | null }> {
  const settings = await analyticsSettings(ctx, merchantId);
  const range = rangeOf(settings, request.from, request.to);
  const stageAt = stageIndexOf(settings, request.stage);
  const index = await ctx.analytics.current(merchantId);
  const page = droppedAtStage(index, settings.stages, stageAt, range, request.cursor ?? null, request.limit + 1);
  const people = page.slice(0, request.limit);
  return {
    stage: request.stage, nextStage: settings.stages[stageAt + 1]?.key ?? null, people,
    nextCursor: page.length > request.limit ? (people[people.length - 1] as DroppedPerson).personId : null,
  };
}
