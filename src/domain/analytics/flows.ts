// Flows: how people move from stage to stage (for a Sankey chart), and the most common paths of
// events after or before a chosen event within a session.
import type { AnalyticsIndex } from './analytics-index';
import type { TimeRange } from './calendar';
import { stageEnteredEvent } from '../journey/stage-rules';
import { stepMasks, type EventMatcher } from './event-funnel';
import { isInCohort } from './journey-funnel';
import { personOrder, rootFacts } from './person-facts';

export interface StageFlows {
  nodes: { key: string; name: string; people: number }[];
  links: { from: string; to: string; people: number }[];
}

/** Transitions between the stages each person of the cohort reached, in the order they reached them. */
export function stageFlows(index: AnalyticsIndex, stages: readonly { key: string; name: string }[], range: TimeRange): StageFlows {
  const facts = rootFacts(index);
  const columns = stages.map((stage) => index.stageReachedAtMs.get(stage.key)?.values ?? new Float64Array(0));
  const nodes = stages.map(() => 0);
  const links = new Map<string, number>();
  const reached: { stage: number; atMs: number }[] = [];
  for (let person = 0; person < facts.roots.length; person += 1) {
    if (!isInCohort(facts, person, range)) continue;
    reached.length = 0;
    columns.forEach((column, stage) => {
      const atMs = person < column.length ? (column[person] as number) : Number.NaN;
      if (!Number.isNaN(atMs)) reached.push({ stage, atMs });
    });
    reached.sort((a, b) => a.atMs - b.atMs || a.stage - b.stage);
    reached.forEach(({ stage }, at) => {
      nodes[stage] = (nodes[stage] as number) + 1;
      if (at === 0) return;
      const key = `${(reached[at - 1] as { stage: number }).stage}>${stage}`;
      links.set(key, (links.get(key) ?? 0) + 1);
    });
  }
  return {
    nodes: stages.map((stage, at) => ({ key: stage.key, name: stage.name, people: nodes[at] as number })),
    links: [...links.entries()].map(([key, people]) => {
      const [from, to] = key.split('>').map(Number) as [number, number];
      return { from: (stages[from] as { key: string }).key, to: (stages[to] as { key: string }).key, people };
    }).sort((a, b) => b.people - a.people || (a.from + a.to < b.from + b.to ? -1 : 1)),
  };
}

export interface PathQuery {
  event: EventMatcher;
  direction: 'after' | 'before';
  /** How many events a path holds (1–10). */
  steps: number;
  /** The person's first occurrence of the event in this range anchors their path. */
  range: TimeRange;
  sessionGapMs: number;
  limit: number;
}

/** Events that say who someone is, or that Sentang wrote itself, rather than what they did: left out of paths. */
const nonActivity = new Set(['$identify', '$alias', '$group', stageEnteredEvent]);

export function eventPaths(index: AnalyticsIndex, query: PathQuery): { people: number; paths: { events: string[]; people: number }[] } {
  const masks = stepMasks(index, [query.event], []);
  const order = personOrder(index);
  const facts = rootFacts(index);
  const timestamps = index.eventTimestampMs.values;
  const names = index.eventName.values;
  const skip = new Uint8Array(index.names.size);
  index.names.values.forEach((name, id) => { if (name !== null && nonActivity.has(name)) skip[id] = 1; });
  const counts = new Map<string, number>();
  let people = 0;
  for (let person = 0; person < index.personCount; person += 1) {
    if (facts.isRoot[person] !== 1) continue;
    const start = order.starts[person] as number;
    const end = order.starts[person + 1] as number;
    let anchor = -1;
    for (let at = start; at < end; at += 1) {
      const row = order.rows[at] as number;
      const atMs = timestamps[row] as number;
      if (atMs >= query.range.endMs) break;
      if (atMs >= query.range.startMs && (masks[row] as number) & 1) {
        anchor = at;
        break;
      }
    }
    if (anchor < 0) continue;
    people += 1;
    const path: string[] = [];
    const step = query.direction === 'after' ? 1 : -1;
    let previousMs = timestamps[order.rows[anchor] as number] as number;
    for (let at = anchor + step; at >= start && at < end && path.length < query.steps; at += step) {
      const row = order.rows[at] as number;
      const atMs = timestamps[row] as number;
      if (Math.abs(atMs - previousMs) > query.sessionGapMs) break;
      previousMs = atMs;
      if (skip[names[row] as number]) continue;
      path.push(index.names.values[names[row] as number] as string);
    }
    if (query.direction === 'before') path.reverse();
    const key = JSON.stringify(path);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const paths = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, query.limit)
    .map(([key, count]) => ({ events: JSON.parse(key) as string[], people: count }));
  return { people, paths };
}
