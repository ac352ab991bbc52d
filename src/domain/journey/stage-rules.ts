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
 * Whether `event` moves the person into the stage. `history` is the person's earlier events with
 * the same names (any order); the count looks back `withinDays` from this event.
 */
export function ruleReached(rule: StageRule, event: JourneyEvent, history: readonly JourneyEvent[]): boolean {
  if (!eventMatches(rule, event)) return false;
  if (!rule.count || rule.count.min <= 1) return true;
  const fromMs = rule.count.withinDays === undefined ? Number.NEGATIVE_INFINITY : event.timestampMs - rule.count.withinDays * dayMs;
  const matching = history.filter((earlier) => earlier.timestampMs >= fromMs && earlier.timestampMs <= event.timestampMs && eventMatches(rule, earlier));
  return matching.length + 1 >= rule.count.min;
}

/** The furthest stage reached, by the definitions' order. */
export function currentStage(definitions: readonly StageDefinition[], reachedKeys: ReadonlySet<string>): StageDefinition | null {
  let current: StageDefinition | null = null;
  for (const definition of definitions) if (reachedKeys.has(definition.key)) current = definition;
  return current;
}
