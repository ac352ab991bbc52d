import fc from 'fast-check';
import { expect, it } from 'vitest';
import { nearestRank, percentilesOf, selectRank } from '../../src/domain/analytics/stats';
it('selectRank equals the nearest rank of the sorted values', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
    const sorted = Float64Array.from(values).sort();
    expect(selectRank(Float64Array.from(values), p)).toBe(nearestRank(sorted, p));
  }), { numRuns: 2000 });
});

it('percentilesOf equals the nearest rank of the sorted values, for many at once', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 2 ** 40 })), { maxLength: 400 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }), (values, ps) => {
    const sorted = Float64Array.from(values).sort();
    expect(percentilesOf(Float64Array.from(values), ps)).toEqual(ps.map((p) => nearestRank(sorted, p)));
  }), { numRuns: 2000 });
});
