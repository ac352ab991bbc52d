import type { Transaction } from 'kysely';
import { anyEvent, defaultStages, eventMatches, firstCountReach, stageEnteredEvent, type JourneyEvent, type StageDefinition } from '../../domain/journey/stage-rules';
import type { IngestedEvent } from '../../domain/events/parse-segment-message';
import { insertEvents } from '../../store/event-store';
import { findMergedPersonIdsOfMany } from '../../store/identity-store';
import { deletePersonStages, findEventsByNameOfPeople, findPersonStages, insertPersonStages, listStageDefinitions, updatePersonStage } from '../../store/journey-store';
import type { Database, PersonStagesTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { chunk } from '../../store/chunk';

export async function stageDefinitionsOf(db: Transaction<Database> | ServiceContext['store']['db'], merchantId: string): Promise<StageDefinition[]> {
  return (await listStageDefinitions(db, merchantId)) ?? defaultStages;
}

interface StoredEvent {
  id: string;
  event: IngestedEvent;
  personId: string | null;
}

/**
 * Moves people along the journey by the events just stored (in the same transaction): each stage a
 * person reaches is recorded with its time and cause, once, and emitted as a `Stage Entered` event.
 * @returns the Stage Entered events it stored
 */
export async function advanceJourney(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, stored: readonly StoredEvent[]): Promise<StoredEvent[]> {
  const byPerson = new Map<string, StoredEvent[]>();
  for (const item of stored) {
    if (!item.personId || item.event.eventName === stageEnteredEvent) continue;
    const list = byPerson.get(item.personId) ?? [];
    list.push(item);
    byPerson.set(item.personId, list);
  }
  if (byPerson.size === 0) return [];
  const definitions = await stageDefinitionsOf(trx, merchantId);
  const countedNames = [...new Set(definitions.flatMap((d) => d.rules.filter((r) => (r.count?.min ?? 1) > 1 && r.event !== anyEvent).map((r) => r.event)))];
  const reachedRows = await findPersonStages(trx, merchantId, [...byPerson.keys()]);
  const reached = new Map<string, Set<string>>();
  for (const row of reachedRows) reached.set(row.person_id, (reached.get(row.person_id) ?? new Set()).add(row.stage_key));

  const histories = await loadCountHistories(trx, merchantId, countedNames, [...byPerson].filter(([personId, items]) => {
    const done = reached.get(personId);
    return !(done && definitions.every((d) => done.has(d.key))) && items.some((item) => item.event.eventName !== null && countedNames.includes(item.event.eventName));
  }).map(([personId]) => personId));

  const newStages: PersonStagesTable[] = [];
  const entered: StoredEvent[] = [];
  for (const [personId, items] of byPerson) {
    const done = reached.get(personId) ?? new Set<string>();
    if (definitions.every((d) => done.has(d.key))) continue;
    const history = histories.get(personId) ?? [];
    for (const item of [...items].sort((a, b) => a.event.timestampMs - b.event.timestampMs)) {
      const event: JourneyEvent = { name: item.event.eventName ?? item.event.type, type: item.event.type, properties: item.event.properties, timestampMs: item.event.timestampMs };
      let previous = [...definitions].reverse().find((d) => done.has(d.key))?.key ?? null;
      for (const definition of definitions) {
        if (done.has(definition.key)) continue;
        // The first rule that reaches, and when: this event for a plain rule; for a count rule the
        // event that completed the count, which may be later than this one if this arrived late.
        let reach: { atMs: number; eventId: string } | null = null;
        for (const rule of definition.rules) {
          if (!eventMatches(rule, event)) continue;
          const completing = (rule.count?.min ?? 1) > 1 ? firstCountReach(rule, history) : { timestampMs: event.timestampMs, id: item.id };
          if (completing && (!reach || completing.timestampMs < reach.atMs)) reach = { atMs: completing.timestampMs, eventId: completing.id };
        }
        if (!reach) continue;
        done.add(definition.key);
        newStages.push({ merchant_id: merchantId, person_id: personId, stage_key: definition.key, reached_at_ms: reach.atMs, event_id: reach.eventId });
        entered.push({
          id: ctx.newId('evt'),
          personId,
          event: {
            messageId: `stage:${personId}:${definition.key}`, type: 'track', eventName: stageEnteredEvent, userId: item.event.userId, anonymousId: item.event.anonymousId,
            previousId: null, groupId: null, properties: { stage: definition.key, stageName: definition.name, previousStage: previous, causedByEventId: reach.eventId },
            traits: null, context: null, timestampMs: reach.atMs, originalTimestampMs: null, sentAtMs: null, receivedAtMs: item.event.receivedAtMs,
          },
        });
        previous = definition.key;
      }
    }
  }
  await insertPersonStages(trx, newStages);
  await insertEvents(trx, ctx.store.dialect, merchantId, entered);
  return entered;
}

/**
 * What count rules look back over, for each of these people: their events (and those of everyone
 * merged into them) with the counted names, oldest first. Read for all of them in a few statements.
 */
async function loadCountHistories(trx: Transaction<Database>, merchantId: string, countedNames: string[], personIds: string[]): Promise<Map<string, (JourneyEvent & { id: string })[]>> {
  const histories = new Map<string, (JourneyEvent & { id: string })[]>();
  if (personIds.length === 0) return histories;
  const mergedIds = await findMergedPersonIdsOfMany(trx, merchantId, personIds);
  const allIds = [...new Set([...mergedIds.values()].flat())];
  const eventsByPerson = new Map<string, (JourneyEvent & { id: string; order: number })[]>();
  let order = 0;
  for (const page of chunk(allIds)) {
    for (const row of await findEventsByNameOfPeople(trx, merchantId, page, countedNames)) {
      const list = eventsByPerson.get(row.person_id as string) ?? [];
      list.push({
        id: row.id, name: row.event_name, type: row.type, timestampMs: row.timestamp_ms, order: order++,
        properties: row.properties_json ? (JSON.parse(row.properties_json) as Record<string, unknown>) : null,
      });
      eventsByPerson.set(row.person_id as string, list);
    }
  }
  for (const [personId, ids] of mergedIds) {
    const events = ids.flatMap((id) => eventsByPerson.get(id) ?? []).sort((a, b) => a.timestampMs - b.timestampMs || a.order - b.order);
    histories.set(personId, events.map(({ order: _order, ...event }) => event));
  }
  return histories;
}

/** On a merge the survivor keeps, per stage, the earliest time either person reached it. */
export async function mergeJourneys(trx: Transaction<Database>, merchantId: string, fromPersonId: string, intoPersonId: string): Promise<void> {
  const rows = await findPersonStages(trx, merchantId, [fromPersonId, intoPersonId]);
  const into = new Map(rows.filter((row) => row.person_id === intoPersonId).map((row) => [row.stage_key, row]));
  const toInsert: PersonStagesTable[] = [];
  for (const row of rows.filter((r) => r.person_id === fromPersonId)) {
    const existing = into.get(row.stage_key);
    if (!existing) toInsert.push({ ...row, person_id: intoPersonId });
    else if (row.reached_at_ms < existing.reached_at_ms) await updatePersonStage(trx, merchantId, intoPersonId, row.stage_key, row.reached_at_ms, row.event_id);
  }
  await insertPersonStages(trx, toInsert);
  await deletePersonStages(trx, merchantId, fromPersonId);
}
