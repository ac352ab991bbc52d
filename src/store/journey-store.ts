// Every SQL statement of the journey: stage definitions and when people reached each stage.
import type { Kysely, Transaction } from 'kysely';
import type { StageDefinition, StageRule } from '../domain/journey/stage-rules';
import type { Database, EventsTable, PersonStagesTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

/** The merchant's own definitions in order, or null when it uses the defaults. */
export async function listStageDefinitions(db: Executor, merchantId: string): Promise<StageDefinition[] | null> {
  const rows = await db.selectFrom('stage_definitions').selectAll().where('merchant_id', '=', merchantId).orderBy('position').execute();
  if (rows.length === 0) return null;
  return rows.map((row) => ({ key: row.key, name: row.name, rules: JSON.parse(row.rules_json) as StageRule[] }));
}

export async function replaceStageDefinitions(db: Executor, merchantId: string, stages: StageDefinition[]): Promise<void> {
  await db.deleteFrom('stage_definitions').where('merchant_id', '=', merchantId).execute();
  await db.insertInto('stage_definitions').values(stages.map((stage, position) => ({
    merchant_id: merchantId, key: stage.key, position, name: stage.name, rules_json: JSON.stringify(stage.rules),
  }))).execute();
}

export async function findPersonStages(db: Executor, merchantId: string, personIds: string[]): Promise<PersonStagesTable[]> {
  if (personIds.length === 0) return [];
  return db.selectFrom('person_stages').selectAll().where('merchant_id', '=', merchantId).where('person_id', 'in', personIds).orderBy('reached_at_ms').execute();
}

export async function insertPersonStages(db: Executor, rows: PersonStagesTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('person_stages').values(rows)
    .onConflict((conflict) => conflict.columns(['merchant_id', 'person_id', 'stage_key']).doNothing()).execute();
}

export async function updatePersonStage(db: Executor, merchantId: string, personId: string, stageKey: string, reachedAtMs: number, eventId: string): Promise<void> {
  await db.updateTable('person_stages').set({ reached_at_ms: reachedAtMs, event_id: eventId })
    .where('merchant_id', '=', merchantId).where('person_id', '=', personId).where('stage_key', '=', stageKey).execute();
}

export async function deletePersonStages(db: Executor, merchantId: string, personId: string): Promise<void> {
  await db.deleteFrom('person_stages').where('merchant_id', '=', merchantId).where('person_id', '=', personId).execute();
}

/**
 * Some people's events with these names, each person's oldest first: what count rules look back
 * over. Ordered by person first, as the events_by_person index is: ordered by time alone, the
 * planner would walk the time index through every event of the merchant.
 */
export async function findEventsByNameOfPeople(db: Executor, merchantId: string, personIds: string[], names: string[]): Promise<EventsTable[]> {
  if (personIds.length === 0 || names.length === 0) return [];
  return db.selectFrom('events').selectAll().where('merchant_id', '=', merchantId).where('person_id', 'in', personIds)
    .where('event_name', 'in', names).orderBy('person_id').orderBy('timestamp_ms').execute();
}

/** Some people's events with these names, oldest first: what count rules look back over. */
export async function findEventsByName(db: Executor, merchantId: string, personIds: string[], names: string[]): Promise<EventsTable[]> {
  return (await findEventsByNameOfPeople(db, merchantId, personIds, names)).sort((a, b) => a.timestamp_ms - b.timestamp_ms);
}
