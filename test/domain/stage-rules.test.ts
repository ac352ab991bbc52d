import { describe, expect, it } from 'vitest';
import { conditionHolds, currentStage, defaultStages, eventMatches, firstCountReach, type JourneyEvent } from '../../src/domain/journey/stage-rules';

const day = 86_400_000;
const at = (name: string, timestampMs: number, properties: Record<string, unknown> | null = null): JourneyEvent & { id: string } => ({ id: `e${timestampMs}`, name, type: 'track', properties, timestampMs });

describe('stage rules', () => {
  it('reaches a count rule on the N-th matching event within the window, whatever the arrival order', () => {
    const rule = { event: 'Product Viewed', count: { min: 3, withinDays: 30 } };
    expect(firstCountReach(rule, [at('Product Viewed', 20 * day), at('Product Viewed', 0), at('Product Viewed', 10 * day)])?.timestampMs).toBe(20 * day);
    expect(firstCountReach(rule, [at('Product Viewed', 0), at('Product Viewed', 10 * day), at('Product Viewed', 35 * day)])).toBeNull();
    expect(firstCountReach(rule, [at('Product Viewed', 0), at('Product Viewed', 40 * day), at('Product Viewed', 50 * day), at('Product Viewed', 60 * day)])?.timestampMs).toBe(60 * day);
    expect(firstCountReach(rule, [at('Product Viewed', 0), at('Order Completed', 1), at('Product Viewed', 2)])).toBeNull();
  });

  it('checks property conditions, dotted paths included', () => {
    const props = { revenue: 250, tags: ['coffee'], shipping: { city: 'Bangkok' }, channel: 'line' };
    expect(conditionHolds({ property: 'revenue', op: 'gte', value: 200 }, props)).toBe(true);
    expect(conditionHolds({ property: 'revenue', op: 'lte', value: 200 }, props)).toBe(false);
    expect(conditionHolds({ property: 'channel', op: 'in', value: ['line', 'facebook'] }, props)).toBe(true);
    expect(conditionHolds({ property: 'tags', op: 'contains', value: 'coffee' }, props)).toBe(true);
    expect(conditionHolds({ property: 'shipping.city', op: 'eq', value: 'Bangkok' }, props)).toBe(true);
    expect(conditionHolds({ property: 'missing', op: 'eq', value: 1 }, props)).toBe(false);
  });

  it('never counts its own Stage Entered events, and orders stages by definition', () => {
    expect(eventMatches({ event: '*' }, at('Stage Entered', 0))).toBe(false);
    expect(eventMatches({ event: 'Stage Entered' }, at('Stage Entered', 0))).toBe(true);
    expect(currentStage(defaultStages, new Set(['awareness', 'purchase']))?.key).toBe('purchase');
    expect(currentStage(defaultStages, new Set())).toBeNull();
  });
});
