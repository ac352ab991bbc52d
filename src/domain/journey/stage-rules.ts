// Journey stages and the rules that move a person into them. Pure.

export type ConditionOperator = 'eq' | 'in' | 'gte' | 'lte' | 'contains';

export interface PropertyCondition {
  property: string;
  op: ConditionOperator;
  value: unknown;
}

/** An event (or any event, `*`) with property conditions, optionally N times within a window. */
export interface StageRule {
  event: string;
  conditions?: PropertyCondition[] | undefined;
  /** Reached on the `min`-th matching event within `withinDays` (counting this one). */
  count?: { min: number; withinDays?: number | undefined } | undefined;
}

export interface StageDefinition {
  key: string;
  name: string;
  /** Any one rule reaching is enough. */
  rules: StageRule[];
}

export const anyEvent = '*';

export const defaultStages: StageDefinition[] = [
  { key: 'awareness', name: 'Awareness', rules: [{ event: anyEvent }] },
  {
    key: 'consideration', name: 'Consideration',
    rules: [{ event: 'Product Viewed', count: { min: 3, withinDays: 30 } }, { event: 'Product Reviewed' }, { event: 'Signed Up' }],
  },
  { key: 'purchase', name: 'Purchase', rules: [{ event: 'Order Completed' }] },
  { key: 'usage', name: 'Usage', rules: [{ event: 'Product Used' }, { event: 'Store Checked In' }, { event: 'Points Earned At POS' }] },
  { key: 'loyalty', name: 'Loyalty', rules: [{ event: 'Order Completed', count: { min: 2, withinDays: 90 } }] },
  { key: 'advocacy', name: 'Advocacy', rules: [{ event: 'Product Shared' }, { event: 'UGC Approved' }, { event: 'Referral Converted' }] },
];

/** Events Sentang emits itself; they never count as a customer's own activity for `*` rules. */
export const stageEnteredEvent = 'Stage Entered';

function propertyOf(properties: Record<string, unknown> | null, path: string): unknown {
  let value: unknown = properties;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function conditionHolds(condition: PropertyCondition, properties: Record<string, unknown> | null): boolean {
  const actual = propertyOf(properties, condition.property);
  switch (condition.op) {
    case 'eq':
      return actual === condition.value;
    case 'in':
      return Array.isArray(condition.value) && condition.value.includes(actual);
    case 'gte':
      return typeof actual === 'number' && typeof condition.value === 'number' && actual >= condition.value;
    case 'lte':
      return typeof actual === 'number' && typeof condition.value === 'number' && actual <= condition.value;
    case 'contains':
      return typeof actual === 'string' ? typeof condition.value === 'string' && actual.includes(condition.value)
        : Array.isArray(actual) && actual.includes(condition.value);
  }
}

export interface JourneyEvent {
  name: string | null;
  type: string;
  properties: Record<string, unknown> | null;
  timestampMs: number;
}

/** Does this event match the rule's event and conditions (ignoring the count)? */
export function eventMatches(rule: StageRule, event: JourneyEvent): boolean {
  // Sentang's own Stage Entered events match only rules that name them, never `*`.
  if (event.name === stageEnteredEvent && rule.event !== stageEnteredEvent) return false;
  if (rule.event !== anyEvent && rule.event !== event.name) return false;
  return (rule.conditions ?? []).every((condition) => conditionHolds(condition, event.properties));
}

const dayMs = 86_400_000;

/**
 * When a count rule was first satisfied, over all of a person's events in any order of arrival:
 * the time and id of the event that was the `min`-th matching one within the window. An event
 * that arrives late with an earlier timestamp can so complete a count that later events needed.
 */
export function firstCountReach<T extends JourneyEvent & { id: string }>(rule: StageRule, events: readonly T[]): T | null {
  const min = rule.count?.min ?? 1;
  const matching = events.filter((event) => eventMatches(rule, event)).sort((a, b) => a.timestampMs - b.timestampMs || (a.id < b.id ? -1 : 1));
  const windowMs = rule.count?.withinDays === undefined ? Number.POSITIVE_INFINITY : rule.count.withinDays * dayMs;
  let start = 0;
  for (let end = 0; end < matching.length; end += 1) {
    const last = matching[end] as T;
    while (last.timestampMs - (matching[start] as T).timestampMs > windowMs) start += 1;
    if (end - start + 1 >= min) return last;
  }
  return null;
}

/** The furthest stage reached, by the definitions' order. */
export function currentStage(definitions: readonly StageDefinition[], reachedKeys: ReadonlySet<string>): StageDefinition | null {
  let current: StageDefinition | null = null;
  for (const definition of definitions) if (reachedKeys.has(definition.key)) current = definition;
  return current;
}
