import { describe, expect, it } from 'vitest';
import { computeExpiresAtMs, startOfMonthMs } from '../../src/domain/ledger/expiry-policy';

const bangkok = 'Asia/Bangkok';
const at = (iso: string) => Date.parse(iso);

describe('expiry policy', () => {
  it('puts points earned at 2026-12-31T17:30Z in Bangkok into 2027', () => {
    expect(computeExpiresAtMs({ kind: 'end_of_year' }, at('2026-12-31T17:30:00Z'), bangkok)).toBe(at('2027-12-31T17:00:00Z'));
    expect(computeExpiresAtMs({ kind: 'end_of_year' }, at('2026-12-31T16:59:59Z'), bangkok)).toBe(at('2026-12-31T17:00:00Z'));
  });

  it('ends the next calendar year for end_of_next_year', () => {
    expect(computeExpiresAtMs({ kind: 'end_of_next_year' }, at('2026-03-01T00:00:00Z'), bangkok)).toBe(at('2027-12-31T17:00:00Z'));
  });

  it('adds calendar months in the merchant zone, clamping to the month end', () => {
    expect(computeExpiresAtMs({ kind: 'months_after_earn', months: 1 }, at('2026-01-31T05:00:00Z'), bangkok)).toBe(at('2026-02-28T05:00:00Z'));
    expect(computeExpiresAtMs({ kind: 'months_after_earn', months: 12 }, at('2026-05-10T10:00:00Z'), bangkok)).toBe(at('2027-05-10T10:00:00Z'));
  });

  it('never expires under the never policy', () => {
    expect(computeExpiresAtMs({ kind: 'never' }, at('2026-05-10T10:00:00Z'), bangkok)).toBeNull();
  });

  it('starts months at local midnight', () => {
    expect(startOfMonthMs(at('2026-03-31T17:00:00Z'), bangkok)).toBe(at('2026-03-31T17:00:00Z'));
    expect(startOfMonthMs(at('2026-03-31T16:59:00Z'), bangkok)).toBe(at('2026-02-28T17:00:00Z'));
    expect(startOfMonthMs(at('2026-03-15T00:00:00Z'), 'UTC')).toBe(at('2026-03-01T00:00:00Z'));
  });
});
