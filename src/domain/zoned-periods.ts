// Calendar periods in a time zone (a merchant's day, week or month), for caps, limits and reports.
import { DateTime } from 'luxon';

export type CapPeriod = 'day' | 'week' | 'month';

// The last period computed for each period kind and zone: a batch of events asks about the same
// day or month again and again, and a time-zone calculation costs far more than a comparison.
const recentPeriods = new Map<string, { startMs: number; endMs: number }>();

/** When the day, week (from Monday) or month holding `atMs` began in the zone. */
export function periodStartMs(period: CapPeriod, atMs: number, timeZone: string): number {
  const key = `${period} ${timeZone}`;
  const recent = recentPeriods.get(key);
  if (recent && atMs >= recent.startMs && atMs < recent.endMs) return recent.startMs;
  const start = DateTime.fromMillis(atMs, { zone: timeZone }).startOf(period);
  const startMs = start.toMillis();
  recentPeriods.set(key, { startMs, endMs: start.plus({ [period]: 1 }).toMillis() });
  return startMs;
}
