import { DateTime } from 'luxon';
import { DomainError } from '../errors';

export type PeriodUnit = 'day' | 'week' | 'month';

/** A half-open range of UTC milliseconds: [startMs, endMs). */
export interface TimeRange { startMs: number; endMs: number }

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Dates the merchant means (YYYY-MM-DD, both inclusive, in its time zone) as UTC instants:
 * from the first midnight to the midnight after the last day.
 */
export function dateRange(fromDate: string, toDate: string, timeZone: string): TimeRange {
  if (!isoDate.test(fromDate) || !isoDate.test(toDate)) throw new DomainError('invalid_request', 'from and to are dates as YYYY-MM-DD');
  const from = DateTime.fromISO(fromDate, { zone: timeZone });
  const to = DateTime.fromISO(toDate, { zone: timeZone });
  if (!from.isValid || !to.isValid) throw new DomainError('invalid_request', 'from and to must be real calendar dates');
  if (to < from) throw new DomainError('invalid_request', 'to must not be before from');
  if (to.diff(from, 'days').days > 3660) throw new DomainError('invalid_request', 'A range covers at most ten years');
  return { startMs: from.startOf('day').toMillis(), endMs: to.plus({ days: 1 }).startOf('day').toMillis() };
}

/** The start of the calendar period holding the instant, in the time zone (weeks start on Monday). */
export function periodStartOf(ms: number, unit: PeriodUnit, timeZone: string): number {
  return DateTime.fromMillis(ms, { zone: timeZone }).startOf(unit).toMillis();
}

/** Calendar periods as a sorted list of starts, to bucket millions of instants by binary search. */
export class PeriodBuckets {
  /** starts[i] is the start of period i; the last entry is the end of the final period. */
  readonly starts: number[];
  readonly labels: string[];

  /** Every period that overlaps the range, plus `extraPeriods` after it (retention looks ahead). */
  constructor(range: TimeRange, readonly unit: PeriodUnit, timeZone: string, extraPeriods = 0) {
    const step = { [unit === 'day' ? 'days' : unit === 'week' ? 'weeks' : 'months']: 1 };
    this.starts = [];
    this.labels = [];
    let cursor = DateTime.fromMillis(range.startMs, { zone: timeZone }).startOf(unit);
    let extra = 0;
    while (cursor.toMillis() < range.endMs || extra++ < extraPeriods) {
      this.starts.push(cursor.toMillis());
      this.labels.push(cursor.toISODate() as string);
      cursor = cursor.plus(step).startOf(unit);
    }
    this.starts.push(cursor.toMillis());
  }

  get count(): number {
    return this.labels.length;
  }

  /** The index of the period holding the instant, or -1 outside all periods. */
  indexOf(ms: number): number {
    const starts = this.starts;
    if (ms < (starts[0] as number) || ms >= (starts[starts.length - 1] as number)) return -1;
    let low = 0;
    let high = starts.length - 1;
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] as number) <= ms) low = middle;
      else high = middle;
    }
    return low;
  }
}
