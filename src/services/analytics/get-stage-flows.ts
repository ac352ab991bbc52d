import { stageFlows, type StageFlows } from '../../domain/analytics/flows';
import type { ServiceContext } from '../context';
import { analyticsSettings, rangeOf } from './analytics-settings';

/** Stage-to-stage transitions of the people first seen between two dates, ready for a Sankey chart. */
export async function getStageFlows(ctx: ServiceContext, merchantId: string, request: { from: string; to: string }): Promise<StageFlows> {
  const settings = await analyticsSettings(ctx, merchantId);
  const range = rangeOf(settings, request.from, request.to);
  const index = await ctx.analytics.current(merchantId);
  return stageFlows(index, settings.stages, range);
}
