// The ledger writer thread sends a batch's outcomes to the HTTP thread as one string
// (ledger-writer-messages.ts); whatever goes in must come out the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchOutcome } from '../src/services/points/execute-ledger-batch';
import { decodeOutcomes, encodeOutcomes } from '../src/services/points/ledger-writer-messages';

const text = fc.string({ unit: 'binary', maxLength: 60 });
const outcome: fc.Arbitrary<BatchOutcome> = fc.oneof(
  fc.record({ ok: fc.constant(true as const), result: fc.record({ statusCode: fc.constantFrom(200, 201), bodyJson: fc.oneof(text, fc.json()), replayed: fc.boolean() }) }),
  fc.record({ ok: fc.constant(false as const), error: fc.record({ code: fc.constantFrom('insufficient_points' as const, 'member_not_found' as const), message: text, details: fc.option(fc.dictionary(text, fc.oneof(text, fc.integer())), { nil: undefined }) }, { requiredKeys: ['code', 'message'] }) }),
  fc.record({ ok: fc.constant(false as const), internal: text }),
);

describe('ledger writer messages', () => {
  it('give back every outcome as it was, bodies with any characters included', () => {
    fc.assert(fc.property(fc.array(outcome, { maxLength: 40 }), (outcomes) => {
      expect(decodeOutcomes(encodeOutcomes(outcomes))).toEqual(outcomes);
    }));
  });

  it('refuse an answer whose bodies do not add up', () => {
    const encoded = encodeOutcomes([{ ok: true, result: { statusCode: 201, bodyJson: '{"a":1}', replayed: false } }]);
    expect(() => decodeOutcomes(`${encoded}x`)).toThrow(/garbled/);
  });
});
