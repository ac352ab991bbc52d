// Analytics speed over a deterministic data set (BENCH_PEOPLE, default 1,000,000 people with about
// 10 events each): the journey funnel, a 5-step ordered funnel with a 7-day window and a breakdown,
// and a 12-week retention table, on one thread, beside the targets of issue 4; then how fast the
// index is built from a real store (SQLite, BENCH_LOAD_EVENTS events through Kysely). BENCH_VERBOSE=1
// prints every repeat.
// The big data set is appended straight into the index (what the store loader does row by row):
// putting 10 million events through SQLite first would measure the insert, not the analytics.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { AnalyticsIndex } from '../src/domain/analytics/analytics-index';
import { dateRange, PeriodBuckets } from '../src/domain/analytics/calendar';
import { eventFunnel } from '../src/domain/analytics/event-funnel';
import { journeyFunnel } from '../src/domain/analytics/journey-funnel';
import { retention } from '../src/domain/analytics/retention';
import { createServiceContext } from '../src/services/context';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { openStore } from '../src/store/open-store';
import { seededRandom } from '../src/domain/seeded-random';
import { machine, peakRssMb, printTable, writeResult, type Row } from './support';

const peopleCount = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const loadEvents = Number(process.env.BENCH_LOAD_EVENTS ?? 200_000);
const zone = 'Asia/Bangkok';
const dayMs = 86_400_000;
const startMs = Date.parse('2025-12-31T17:00:00Z'); // 2026-01-01 in Bangkok

const touches = [
  null,
  { source: 'facebook', medium: 'cpc', campaign: 'songkran', referrerHost: 'facebook.com', clickId: null },
  { source: null, medium: null, campaign: null, referrerHost: 'google.com', clickId: null },
  { source: 'line', medium: 'broadcast', campaign: 'weekly', referrerHost: null, clickId: null },
  { source: 'newsletter', medium: 'email', campaign: 'may', referrerHost: null, clickId: null },
  { source: null, medium: null, campaign: null, referrerHost: 'pantip.com', clickId: null },
];
const categories = ['tea', 'coffee', 'bakery', 'merch'];

/** A shop's half year: each person lands from a channel, browses, some buy and some come back. */
function generate(index: AnalyticsIndex, people: number): void {
  const random = seededRandom(20261122);
  const stageKeys = ['awareness', 'consideration', 'purchase', 'usage', 'loyalty', 'advocacy'];
  for (let p = 0; p < people; p += 1) {
    const personId = `per_${p.toString(36).padStart(8, '0')}`;
    let atMs = startMs + Math.floor(random() * 180 * dayMs);
    const firstSeenAtMs = atMs;
    const stages: { stageKey: string; reachedAtMs: number }[] = [{ stageKey: 'awareness', reachedAtMs: atMs }];
    const touch = touches[Math.floor(random() * touches.length)] ?? null;
    index.appendEvent({ personId, name: '$page', timestampMs: atMs, properties: { path: '/' }, touch, traits: null });
    const sessions = 1 + Math.floor(random() * random() * 4);
    let views = 0;
    let orders = 0;
    for (let s = 0; s < sessions; s += 1) {
      if (s > 0) atMs += Math.floor(random() * 14 * dayMs);
      const length = 1 + Math.floor(random() * 11);
      for (let e = 0; e < length; e += 1) {
        atMs += 20_000 + Math.floor(random() * 600_000);
        const roll = random();
        const category = categories[Math.floor(random() * categories.length)] as string;
        if (roll < 0.55) {
          views += 1;
          index.appendEvent({ personId, name: 'Product Viewed', timestampMs: atMs, properties: { category }, touch: null, traits: null });
          if (views === 3) stages.push({ stageKey: 'consideration', reachedAtMs: atMs });
        } else if (roll < 0.75) index.appendEvent({ personId, name: 'Added To Cart', timestampMs: atMs, properties: { category }, touch: null, traits: null });
        else if (roll < 0.87) index.appendEvent({ personId, name: 'Checkout Started', timestampMs: atMs, properties: null, touch: null, traits: null });
        else if (roll < 0.95) {
          orders += 1;
          index.appendEvent({ personId, name: 'Order Completed', timestampMs: atMs, properties: { revenue: 90 + Math.floor(random() * 900), category }, touch: null, traits: null });
          if (orders === 1) stages.push({ stageKey: 'purchase', reachedAtMs: atMs });
          if (orders === 2) stages.push({ stageKey: 'loyalty', reachedAtMs: atMs });
        } else index.appendEvent({ personId, name: 'Product Shared', timestampMs: atMs, properties: null, touch: null, traits: null });
      }
    }
    if (orders > 0 && random() < 0.4) stages.push({ stageKey: 'usage', reachedAtMs: atMs });
    if (orders > 1 && random() < 0.2) stages.push({ stageKey: 'advocacy', reachedAtMs: atMs });
    index.upsertPerson({ id: personId, mergedIntoPersonId: null, memberId: orders > 0 ? `mbr_${p}` : null, firstSeenAtMs, lastSeenAtMs: atMs });
    index.setStages(personId, stages);
  }
  void stageKeys;
}

function time<T>(run: () => T, repeat = 1): { ms: number; result: T } {
  const timesMs: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < repeat; i += 1) {
    const t0 = performance.now();
    result = run();
    timesMs.push(performance.now() - t0);
  }
  if (process.env.BENCH_VERBOSE) console.log(timesMs.map((ms) => ms.toFixed(1)).join(" "));
  timesMs.sort((a, b) => a - b);
  // The median of the repeats: one garbage collection should not decide the figure.
  return { ms: Math.round((timesMs[Math.floor(timesMs.length / 2)] as number) * 10) / 10, result: result as T };
}

async function loadFromStore(): Promise<{ events: number; ms: number; eventsPerSecond: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-bench-analytics-'));
  const store = await openStore({ dataDir: dir });
  try {
    const ctx = createServiceContext(store, { logger: pino({ level: 'warn' }) });
    const merchant = await createMerchant(ctx, { name: 'Analytics load' });
    const random = seededRandom(7);
    const peopleCount = Math.max(1, Math.floor(loadEvents / 10));
    for (let p = 0; p < peopleCount; p += 500) {
      const rows = Array.from({ length: Math.min(500, peopleCount - p) }, (_, i) => ({
        merchant_id: merchant.id, id: `per_${p + i}`, user_id: null, member_id: null, merged_into_person_id: null, first_seen_at_ms: startMs, last_seen_at_ms: startMs,
      }));
      await store.db.insertInto('people').values(rows).execute();
    }
    for (let e = 0; e < loadEvents; e += 1000) {
      const rows = Array.from({ length: Math.min(1000, loadEvents - e) }, (_, i) => ({
        merchant_id: merchant.id, id: `evt_${String(e + i).padStart(9, '0')}`, message_id: `m${e + i}`, type: 'track', event_name: 'Product Viewed',
        user_id: null, anonymous_id: 'a', previous_id: null, group_id: null, properties_json: JSON.stringify({ category: categories[(e + i) % 4] }),
        traits_json: null, context_json: JSON.stringify({ page: { url: 'https://shop.example/', referrer: 'https://www.google.com/' } }),
        timestamp_ms: startMs + Math.floor(random() * 180 * dayMs), original_timestamp_ms: null, sent_at_ms: null, received_at_ms: startMs + e + i,
        person_id: `per_${Math.floor(random() * peopleCount)}`,
      }));
      await store.db.insertInto('events').values(rows).execute();
    }
    const t0 = performance.now();
    const index = await ctx.analytics.current(merchant.id);
    const ms = performance.now() - t0;
    return { events: index.eventCount, ms: Math.round(ms), eventsPerSecond: Math.round(index.eventCount / (ms / 1000)) };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runAnalyticsBench(): Promise<void> {
  console.log(`Generating ${peopleCount.toLocaleString()} people…`);
  const index = new AnalyticsIndex();
  const generated = time(() => generate(index, peopleCount));
  console.log(`  ${index.eventCount.toLocaleString()} events in ${Math.round(generated.ms / 1000)} s`);
  const range = dateRange('2026-01-01', '2026-06-29', zone);
  const stages = ['awareness', 'consideration', 'purchase', 'usage', 'loyalty', 'advocacy'].map((key) => ({ key, name: key }));
  const journeyQuery = { stages, range, nowMs: Date.parse('2026-07-01T00:00:00Z'), atRiskMs: 60 * dayMs, breakdown: null, trend: null, channelOfTouch: [] };
  const journeyCold = time(() => journeyFunnel(index, journeyQuery));
  const journeyWarm = time(() => journeyFunnel(index, journeyQuery), 7);
  const funnelQuery = {
    steps: ['$page', 'Product Viewed', 'Added To Cart', 'Checkout Started', 'Order Completed'].map((event) => ({ event, filters: [] })),
    order: 'ordered' as const, windowMs: 7 * dayMs, range, exclusions: [],
    breakdown: { source: 'event' as const, property: 'category', attribution: 'last_touch' as const }, trend: null, dropped: null,
  };
  const funnelCold = time(() => eventFunnel(index, funnelQuery));
  const funnelWarm = time(() => eventFunnel(index, funnelQuery), 5);
  const retentionRange = dateRange('2026-01-05', '2026-03-29', zone);
  const retentionQuery = {
    startEvent: { event: 'Order Completed', filters: [] }, returnEvent: null, range: retentionRange,
    buckets: new PeriodBuckets(retentionRange, 'week', zone, 12), periods: 12, mode: 'recurring' as const,
  };
  const retentionRun = time(() => retention(index, retentionQuery), 5);
  const rss = peakRssMb();
  console.log(`Loading ${loadEvents.toLocaleString()} events from SQLite into a fresh index…`);
  const load = await loadFromStore();

  const rows: Row[] = [
    { name: 'people', value: index.personCount, unit: '', target: '1,000,000', pass: index.personCount >= 1_000_000 },
    { name: 'events', value: index.eventCount, unit: '', target: '10,000,000', pass: index.eventCount >= 10_000_000 },
    { name: 'journey funnel (first, builds person facts)', value: journeyCold.ms, unit: 'ms', target: '', pass: true },
    { name: 'journey funnel (median of 7)', value: journeyWarm.ms, unit: 'ms', target: '< 100', pass: journeyWarm.ms < 100 },
    { name: '5-step funnel (first, sorts events by person)', value: funnelCold.ms, unit: 'ms', target: '< 2000', pass: funnelCold.ms < 2000 },
    { name: '5-step funnel, 7-day window, breakdown (median of 5)', value: funnelWarm.ms, unit: 'ms', target: '< 2000', pass: funnelWarm.ms < 2000 },
    { name: '12-week retention (median of 5)', value: retentionRun.ms, unit: 'ms', target: '< 2000', pass: retentionRun.ms < 2000 },
    { name: 'peak RSS', value: rss, unit: 'MB', target: '< 1536', pass: rss < 1536 },
    { name: `index build from SQLite (${load.events.toLocaleString()} events)`, value: load.eventsPerSecond, unit: 'ev/s', target: '(reference)', pass: true },
  ];
  printTable(`Analytics benchmark — ${machine()}`, rows);
  const funnelSteps = funnelWarm.result.steps.map((step) => step.count).join(' → ');
  console.log(`\n  funnel: ${funnelSteps}; journey entered ${journeyWarm.result.entered.toLocaleString()}; retention cohorts ${retentionRun.result.cohorts.length}`);
  console.log(`\nwrote ${writeResult('analytics', { machine: machine(), at: new Date().toISOString(), generateMs: generated.ms, load, funnelSteps, rows })}`);
}
