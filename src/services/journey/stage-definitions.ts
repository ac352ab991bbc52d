import { DomainError } from '../../domain/errors';
import type { StageDefinition } from '../../domain/journey/stage-rules';
import { replaceStageDefinitions } from '../../store/journey-store';
import type { ServiceContext } from '../context';
import { stageDefinitionsOf } from './advance-journey';

/** The merchant's journey stages in order: its own, or the six defaults. */
export function getStageDefinitions(ctx: ServiceContext, merchantId: string): Promise<StageDefinition[]> {
  return stageDefinitionsOf(ctx.store.db, merchantId);
}

/**
 * Replaces the merchant's stages. Stages already reached stay recorded; new rules apply to events
 * from now on.
 */
export async function saveStageDefinitions(ctx: ServiceContext, merchantId: string, stages: StageDefinition[]): Promise<StageDefinition[]> {
  const keys = new Set(stages.map((stage) => stage.key));
  if (keys.size !== stages.length) throw new DomainError('invalid_request', 'Stage keys must be unique');
  await ctx.store.db.transaction().execute((trx) => replaceStageDefinitions(trx, merchantId, stages));
  return stages;
}
