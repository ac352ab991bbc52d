import type { PropertyValue } from './analytics-index';

export const filterOperators = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'contains', 'is_set', 'is_not_set'] as const;
export type FilterOperator = (typeof filterOperators)[number];

/** A condition on one top-level event property. */
export interface PropertyFilter {
  property: string;
  op: FilterOperator;
  value?: unknown;
}

/**
 * Does a property value (undefined when the event lacks it) pass the filter? Equality is strict
 * (the number 5 is not the string "5"); comparisons hold for numbers only; `neq` and `not_in` hold
 * for an event without the property.
 */
export function filterHolds(filter: PropertyFilter, actual: PropertyValue | undefined): boolean {
  const expected = filter.value;
  switch (filter.op) {
    case 'is_set': return actual !== undefined && actual !== null;
    case 'is_not_set': return actual === undefined || actual === null;
    case 'eq': return actual !== undefined && actual === expected;
    case 'neq': return actual === undefined || actual !== expected;
    case 'in': return actual !== undefined && Array.isArray(expected) && expected.includes(actual);
    case 'not_in': return actual === undefined || !Array.isArray(expected) || !expected.includes(actual);
    case 'gt': return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case 'gte': return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'lt': return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case 'lte': return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
    case 'contains': return typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
  }
}

/** A property value as the index stores it: objects and arrays as their JSON text. */
export function indexedValue(value: unknown): PropertyValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
