// When points expire and where calendar months begin, answered in the merchant's own time zone:
// points earned at 2026-12-31T17:30Z are earned on 1 January 2027 in Bangkok, so they belong to 2027.
import { DateTime } from 'luxon';
import { periodStartMs } from '../zoned-periods';
import type { ExpiryPolicy } from './types';

/** The instant a lot earned at `earnedAtMs` stops being spendable, or null for never. */
export function computeExpiresAtMs(policy: ExpiryPolicy, earnedAtMs: number, timeZone: string): number | null {
  if (policy.kind === 'never') return null;
  const earnedAt = DateTime.fromMillis(earnedAtMs, { zone: timeZone });
  switch (policy.kind) {
    case 'months_after_earn':
      return earnedAt.plus({ months: policy.months }).toMillis();
    case 'end_of_year':
      return earnedAt.startOf('year').plus({ years: 1 }).toMillis();
    case 'end_of_next_year':
      return earnedAt.startOf('year').plus({ years: 2 }).toMillis();
  }
}

/** The first instant of the calendar month that contains `atMs`, in `timeZone`. */
export function startOfMonthMs(atMs: number, timeZone: string): number {
  return periodStartMs('month', atMs, timeZone);
}

/** The calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(atMs: number, timeZone: string): string {
  return DateTime.fromMillis(atMs, { zone: timeZone }).toISODate() ?? '';
}

export function isValidTimeZone(timeZone: string): boolean {
  return DateTime.local().setZone(timeZone).isValid;
}
