// Channel attribution: each conversion's credit (and revenue) shared over the channels of the
// person's touches in the lookback window before it, by the chosen model.
import type { AnalyticsIndex } from './analytics-index';
import { creditWeights, type AttributionModel } from './attribution';
import type { TimeRange } from './calendar';
import { directChannel } from './channels';
import { stepMasks, type EventMatcher } from './event-funnel';
import { personOrder, rootFacts } from './person-facts';

export interface AttributionQuery {
  conversion: EventMatcher;
  range: TimeRange;
  lookbackMs: number;
  model: AttributionModel;
  /** The property holding the order value in baht (Segment's `revenue`, then `total`). */
  revenueProperties: readonly string[];
  channelOfTouch: readonly string[];
}

export interface ChannelCredit { channel: string; conversions: number; revenueSatang: number }

/** An amount in baht as integer satang; null when the value is not a positive amount. */
export function satangOf(value: unknown): number | null {
  const amount = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(amount) && amount > 0 ? Math.round(amount * 100) : null;
}

export function attributeConversions(index: AnalyticsIndex, query: AttributionQuery): { conversions: number; revenueSatang: number; channels: ChannelCredit[] } {
  const masks = stepMasks(index, [query.conversion], []);
  const order = personOrder(index);
  const facts = rootFacts(index);
  const timestamps = index.eventTimestampMs.values;
  const eventTouch = index.eventTouch.values;
  const revenueColumns = query.revenueProperties.map((key) => index.properties.get(key));
  const credits = new Map<string, { conversions: number; revenue: number }>();
  const credit = (channel: string, weight: number, revenueSatang: number) => {
    const entry = credits.get(channel) ?? { conversions: 0, revenue: 0 };
    entry.conversions += weight;
    entry.revenue += weight * revenueSatang;
    credits.set(channel, entry);
  };
  let conversions = 0;
  let revenueSatang = 0;
  const touchTimes: number[] = [];
  const touchChannels: string[] = [];
  for (let person = 0; person < index.personCount; person += 1) {
    if (facts.isRoot[person] !== 1) continue;
    touchTimes.length = 0;
    touchChannels.length = 0;
    const end = order.starts[person + 1] as number;
    for (let at = order.starts[person] as number; at < end; at += 1) {
      const row = order.rows[at] as number;
      const atMs = timestamps[row] as number;
      const touch = eventTouch[row] as number;
      if (touch !== 0) {
        touchTimes.push(atMs);
        touchChannels.push(query.channelOfTouch[touch] ?? directChannel);
      }
      if (((masks[row] as number) & 1) === 0 || atMs < query.range.startMs || atMs >= query.range.endMs) continue;
      let value = 0;
      for (const column of revenueColumns) {
        const id = column && row < column.column.length ? column.column.get(row) : 0;
        const satang = id === 0 ? null : satangOf(column?.dictionary.values[id]);
        if (satang !== null) {
          value = satang;
          break;
        }
      }
      conversions += 1;
      revenueSatang += value;
      let first = touchTimes.length;
      while (first > 0 && (touchTimes[first - 1] as number) >= atMs - query.lookbackMs) first -= 1;
      const channels = touchChannels.slice(first);
      if (channels.length === 0) credit(directChannel, 1, value);
      else creditWeights(query.model, channels.length).forEach((weight, at) => credit(channels[at] as string, weight, value));
    }
  }
  const channels = [...credits.entries()]
    .map(([channel, entry]) => ({ channel, conversions: Math.round(entry.conversions * 100) / 100, revenueSatang: Math.round(entry.revenue) }))
    .sort((a, b) => b.conversions - a.conversions || (a.channel < b.channel ? -1 : 1));
  return { conversions, revenueSatang, channels };
}
