// Every analytics answer against the brute-force reference on random data, on each store: merges,
// same-millisecond events, times around Bangkok midnight (17:00 UTC) and empty ranges included.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { expect, it } from 'vitest';
import { creditWeights } from '../../src/domain/analytics/attribution';
import { directChannel } from '../../src/domain/analytics/channels';
import { loadReference, matches, rangeOf, rank, refAttempt, traitsOf, type RefData, type RefMatcher, type RefPerson } from '../support/analytics-reference';
import { merchantWithWriteKey } from '../support/event-sender';
import { seededRandom } from '../support/seeded-random';
import { describeEachStore, type TestMerchant } from '../support/stores';

const names = ['Product Viewed', 'Added To Cart', 'Order Completed', 'Signed Up'];
const touches = [
  undefined,
  { page: { url: 'https://shop.example/p?utm_source=facebook&utm_medium=cpc', referrer: 'https://facebook.com/' } },
  { page: { url: 'https://shop.example/', referrer: 'https://www.google.com/' } },
  { page: { url: 'https://shop.example/', referrer: 'https://line.me/R/' } },
  { campaign: { source: 'newsletter', medium: 'email' } },
  { page: { url: 'https://shop.example/', referrer: 'https://shop.example/cart' } },
];
// Minutes after 2026-03-01T16:30Z (23:30 in Bangkok): ties, gaps under and over 30 minutes, midnight crossings, weeks.
const minuteOffsets = [0, 0, 10, 29, 30, 31, 45, 90, 600, 1440, 1455, 2880, 10080, 20160, 43200];
const baseMs = Date.parse('2026-03-01T16:30:00Z');
const ranges: [string, string][] = [['2026-03-01', '2026-03-01'], ['2026-03-02', '2026-03-09'], ['2026-02-01', '2026-04-30'], ['2025-01-01', '2025-01-31']];

function randomMessages(seed: number): Record<string, unknown>[][] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const batches: Record<string, unknown>[][] = [];
  for (let b = 0; b < 3; b += 1) {
    const batch: Record<string, unknown>[] = [];
    for (let i = 0; i < 25; i += 1) {
      const anonymousId = `a${seed}-${Math.floor(random() * 6)}`;
      const timestamp = new Date(baseMs + pick(minuteOffsets) * 60_000 + (random() < 0.2 ? 0 : Math.floor(random() * 3) * 1000)).toISOString();
      const roll = random();
      if (roll < 0.12) batch.push({ type: 'identify', anonymousId, userId: `u${seed}-${Math.floor(random() * 4)}`, traits: { city: pick(['BKK', 'CNX']) }, timestamp });
      else if (roll < 0.35) batch.push({ type: 'page', name: 'Home', anonymousId, timestamp, ...(pick(touches) ? { context: pick(touches.slice(1)) } : {}) });
      else batch.push({ type: 'track', event: pick(names), anonymousId, timestamp, properties: { category: pick(['tea', 'coffee']), revenue: pick([100, 250.5, '300']) } });
    }
    batches.push(batch);
  }
  return batches;
}

function randomFunnel(random: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const stepCount = 2 + Math.floor(random() * 3);
  const steps: RefMatcher[] = Array.from({ length: stepCount }, () => ({
    event: pick([...names, '$page']),
    filters: random() < 0.3 ? [{ property: 'category', op: 'eq' as const, value: 'tea' }] : [],
  }));
  const order = pick(['ordered', 'strict', 'any'] as const);
  const windowSeconds = pick([1800, 86_400, 7 * 86_400, 90 * 86_400]);
  const exclusions = order !== 'any' && random() < 0.4 ? [{ event: pick(names), filters: [], fromStep: 0, toStep: 1 }] : [];
  return { steps, order, windowSeconds, exclusions, range: pick(ranges) };
}

function cohort(data: RefData, range: { startMs: number; endMs: number }): RefPerson[] {
  return [...data.people.values()].filter((person) => person.firstSeenMs >= range.startMs && person.firstSeenMs < range.endMs);
}

describeEachStore('analytics match the reference', (env) => {
  async function checkAll(seed: number): Promise<void> {
    const { m, send } = await merchantWithWriteKey(env());
    for (const batch of randomMessages(seed)) await send(batch);
    const data = await loadReference(env().store, m.merchantId);
    const random = seededRandom(seed * 7 + 1);
    for (const [from, to] of ranges) await checkJourney(m, data, from, to);
    for (let i = 0; i < 6; i += 1) await checkFunnel(m, data, randomFunnel(random));
    for (const [from, to] of ranges) await checkRetentionFlowsAttribution(m, data, from, to);
  }

  async function checkJourney(m: TestMerchant, data: RefData, from: string, to: string): Promise<void> {
    const response = await m.request('GET', `/api/v1/analytics/journey?from=${from}&to=${to}&breakdown=trait:city&trend=day`);
    expect(response.statusCode, JSON.stringify(response.json)).toBe(200);
    const result = response.json;
    const range = rangeOf(from, to);
    const people = cohort(data, range);
    const keys = result.stages.map((stage: { key: string }) => stage.key) as string[];
    expect(result.entered).toBe(people.length);
    const quietSince = Date.now() - 60 * 86_400_000;
    keys.forEach((key, k) => {
      const reached = people.filter((person) => person.stages.has(key));
      expect(result.stages[k].reached, `reached ${key}`).toBe(reached.length);
      const furthestHere = people.filter((person) => keys.findLastIndex((other) => person.stages.has(other)) === k && person.lastSeenMs < quietSince);
      expect(result.stages[k].atRisk, `at risk ${key}`).toBe(furthestHere.length);
      if (k > 0) {
        const durations = people.filter((person) => person.stages.has(key) && person.stages.has(keys[k - 1] as string))
          .map((person) => Math.max(0, (person.stages.get(key) as number) - (person.stages.get(keys[k - 1] as string) as number)));
        expect(result.stages[k].timeFromPrevious).toEqual({ count: durations.length, medianMs: rank(durations, 50), p90Ms: rank(durations, 90) });
      }
    });
    const byCity = new Map<string, number>();
    for (const person of people) {
      const city = (traitsOf(person).city as string | undefined) ?? '(none)';
      byCity.set(city, (byCity.get(city) ?? 0) + 1);
    }
    expect(Object.fromEntries(result.breakdown.map((group: { value: string; entered: number }) => [group.value, group.entered]))).toEqual(Object.fromEntries(byCity));
    const dayOf = (ms: number) => DateTime.fromMillis(ms, { zone: 'Asia/Bangkok' }).toISODate() as string;
    const byDay = new Map<string, number>();
    for (const person of people) byDay.set(dayOf(person.firstSeenMs), (byDay.get(dayOf(person.firstSeenMs)) ?? 0) + 1);
    expect(Object.fromEntries(result.trend.filter((period: { entered: number }) => period.entered > 0).map((period: { period: string; entered: number }) => [period.period, period.entered])))
      .toEqual(Object.fromEntries(byDay));

    // First-touch channel: the channel of the person's earliest event that carries a touch, else Direct.
    const channels = (await m.request('GET', `/api/v1/analytics/journey?from=${from}&to=${to}&breakdown=channel`)).json.breakdown;
    const byChannel = new Map<string, number>();
    for (const person of people) {
      const channel = person.events.find((event) => event.channel !== null)?.channel ?? 'Direct';
      byChannel.set(channel, (byChannel.get(channel) ?? 0) + 1);
    }
    expect(Object.fromEntries(channels.map((group: { value: string; entered: number }) => [group.value, group.entered]))).toEqual(Object.fromEntries(byChannel));

    // Who stopped after each stage, all pages together.
    for (const [at, key] of keys.slice(0, -1).entries()) {
      const listed: string[] = [];
      let cursor = '';
      do {
        const page = (await m.request('GET', `/api/v1/analytics/journey/dropouts?from=${from}&to=${to}&stage=${key}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json;
        listed.push(...page.people.map((person: { personId: string }) => person.personId));
        cursor = page.nextCursor ?? '';
      } while (cursor);
      const expected = people.filter((person) => person.stages.has(key) && !person.stages.has(keys[at + 1] as string)).map((person) => person.id).sort();
      expect(listed, `dropouts after ${key}`).toEqual(expected);
    }
  }

  async function checkFunnel(m: TestMerchant, data: RefData, funnel: ReturnType<typeof randomFunnel>): Promise<void> {
    const [from, to] = funnel.range;
    const body = {
      from, to, steps: funnel.steps, order: funnel.order, windowSeconds: funnel.windowSeconds, exclusions: funnel.exclusions,
      breakdown: { source: 'event', property: 'category', attribution: 'first_touch' }, dropped: { atStep: 0, limit: 1000 }, trend: 'day',
    };
    const response = await m.request('POST', '/api/v1/analytics/funnels', body);
    expect(response.statusCode, JSON.stringify(response.json)).toBe(200);
    const result = response.json;
    const range = rangeOf(from, to);
    const counts = new Array<number>(funnel.steps.length).fill(0);
    const converted: number[] = [];
    const groups = new Map<string, number>();
    const dropped: string[] = [];
    const trend = new Map<string, { entered: number; converted: number }>();
    for (const person of data.people.values()) {
      const attempt = refAttempt(person.events, funnel.steps, funnel.order, funnel.windowSeconds * 1000, range);
      if (attempt.reached === 0) continue;
      const excluded = funnel.exclusions.some((exclusion) => attempt.reached > exclusion.toStep && person.events
        .slice((attempt.positions[exclusion.fromStep] as number) + 1, attempt.positions[exclusion.toStep])
        .some((event) => matches(exclusion, event)));
      if (excluded) continue;
      for (let k = 0; k < attempt.reached; k += 1) counts[k] = (counts[k] as number) + 1;
      if (attempt.reached === funnel.steps.length) converted.push((attempt.times.at(-1) as number) - (attempt.times[0] as number));
      const first = person.events[attempt.positions[0] as number];
      const category = first?.properties.category;
      const label = typeof category === 'string' ? category : '(none)';
      groups.set(label, (groups.get(label) ?? 0) + 1);
      if (attempt.reached === 1) dropped.push(person.id);
      const day = DateTime.fromMillis(attempt.times[0] as number, { zone: 'Asia/Bangkok' }).toISODate() as string;
      const period = trend.get(day) ?? { entered: 0, converted: 0 };
      period.entered += 1;
      if (attempt.reached === funnel.steps.length) period.converted += 1;
      trend.set(day, period);
    }
    const context = JSON.stringify(funnel);
    expect(result.steps.map((step: { count: number }) => step.count), context).toEqual(counts);
    expect(result.timeToConvert.count, context).toBe(converted.length);
    expect(result.timeToConvert.medianMs, context).toBe(rank(converted, 50));
    expect(result.timeToConvert.p90Ms, context).toBe(rank(converted, 90));
    expect(Object.fromEntries(result.breakdown.map((group: { value: string; entered: number }) => [group.value, group.entered])), context).toEqual(Object.fromEntries(groups));
    expect(result.dropped.map((person: { personId: string }) => person.personId), context).toEqual(dropped.sort());
    expect(Object.fromEntries(result.trend.filter((period: { entered: number }) => period.entered > 0)
      .map((period: { period: string; entered: number; converted: number }) => [period.period, { entered: period.entered, converted: period.converted }])), context).toEqual(Object.fromEntries(trend));
  }

  async function checkRetentionFlowsAttribution(m: TestMerchant, data: RefData, from: string, to: string): Promise<void> {
    const range = rangeOf(from, to);
    // Retention by week: cohorts by first order, returning with any event.
    for (const mode of ['recurring', 'first_time'] as const) {
      const response = await m.request('GET', `/api/v1/analytics/retention?from=${from}&to=${to}&period=week&periods=4&startEvent=Order%20Completed&returnEvent=*&mode=${mode}`);
      expect(response.statusCode, JSON.stringify(response.json)).toBe(200);
      const weekOf = (ms: number) => rangeOf('2026-03-02', '2026-03-02').startMs + Math.floor((ms - rangeOf('2026-03-02', '2026-03-02').startMs) / (7 * 86_400_000)) * 7 * 86_400_000;
      const expected = new Map<number, { people: number; returned: number[] }>();
      for (const person of data.people.values()) {
        const first = person.events.find((event) => event.name === 'Order Completed');
        if (!first || first.ms < range.startMs || first.ms >= range.endMs) continue;
        const cohortWeek = weekOf(first.ms);
        const entry = expected.get(cohortWeek) ?? { people: 0, returned: [0, 0, 0, 0] };
        entry.people += 1;
        const offsets = [...new Set(person.events.filter((event) => event.ms > first.ms || (event.ms === first.ms && person.events.indexOf(event) > person.events.indexOf(first)))
          .map((event) => Math.round((weekOf(event.ms) - cohortWeek) / (7 * 86_400_000))).filter((offset) => offset >= 1 && offset <= 4))].sort((a, b) => a - b);
        for (const offset of mode === 'first_time' ? offsets.slice(0, 1) : offsets) entry.returned[offset - 1] = (entry.returned[offset - 1] as number) + 1;
        expected.set(cohortWeek, entry);
      }
      for (const row of response.json.cohorts) {
        const want = expected.get(rangeOf(row.period, row.period).startMs) ?? { people: 0, returned: [0, 0, 0, 0] };
        expect({ people: row.people, returned: row.returned }, `${mode} ${row.period}`).toEqual(want);
      }
      expect(response.json.cohorts.reduce((sum: number, row: { people: number }) => sum + row.people, 0)).toBe([...expected.values()].reduce((sum, entry) => sum + entry.people, 0));
    }

    // Stage flows and paths after the first product view.
    const flows = await m.request('GET', `/api/v1/analytics/flows?from=${from}&to=${to}&event=Product%20Viewed&steps=3&limit=100`);
    expect(flows.statusCode, JSON.stringify(flows.json)).toBe(200);
    const keys = flows.json.nodes.map((node: { key: string }) => node.key) as string[];
    const links = new Map<string, number>();
    for (const person of cohort(data, range)) {
      const reached = keys.filter((key) => person.stages.has(key)).sort((a, b) => (person.stages.get(a) as number) - (person.stages.get(b) as number) || keys.indexOf(a) - keys.indexOf(b));
      for (let i = 1; i < reached.length; i += 1) links.set(`${reached[i - 1]}>${reached[i]}`, (links.get(`${reached[i - 1]}>${reached[i]}`) ?? 0) + 1);
    }
    expect(Object.fromEntries(flows.json.links.map((link: { from: string; to: string; people: number }) => [`${link.from}>${link.to}`, link.people]))).toEqual(Object.fromEntries(links));
    const paths = new Map<string, number>();
    for (const person of data.people.values()) {
      const at = person.events.findIndex((event) => event.name === 'Product Viewed' && event.ms >= range.startMs && event.ms < range.endMs);
      if (at < 0) continue;
      const path: string[] = [];
      for (let i = at + 1; i < person.events.length && path.length < 3; i += 1) {
        if ((person.events[i] as { ms: number }).ms - (person.events[i - 1] as { ms: number }).ms > 30 * 60_000) break;
        const name = (person.events[i] as { name: string }).name;
        if (!['$identify', 'Stage Entered'].includes(name)) path.push(name);
      }
      paths.set(JSON.stringify(path), (paths.get(JSON.stringify(path)) ?? 0) + 1);
    }
    expect(Object.fromEntries(flows.json.paths.paths.map((path: { events: string[]; people: number }) => [JSON.stringify(path.events), path.people]))).toEqual(Object.fromEntries(paths));

    // Attribution of orders over touches in the 7 days before, by every model.
    for (const model of ['first_touch', 'last_touch', 'linear', 'position_based'] as const) {
      const response = await m.request('GET', `/api/v1/analytics/attribution?from=${from}&to=${to}&model=${model}&lookbackDays=7`);
      expect(response.statusCode, JSON.stringify(response.json)).toBe(200);
      const credit = new Map<string, number>();
      let orders = 0;
      for (const person of data.people.values()) {
        person.events.forEach((event, at) => {
          if (event.name !== 'Order Completed' || event.ms < range.startMs || event.ms >= range.endMs) return;
          orders += 1;
          const channels = person.events.slice(0, at + 1).filter((touch) => touch.channel !== null && touch.ms >= event.ms - 7 * 86_400_000).map((touch) => touch.channel as string);
          if (channels.length === 0) credit.set(directChannel, (credit.get(directChannel) ?? 0) + 1);
          creditWeights(model, channels.length).forEach((weight, i) => credit.set(channels[i] as string, (credit.get(channels[i] as string) ?? 0) + weight));
        });
      }
      expect(response.json.conversions).toBe(orders);
      expect(Object.fromEntries(response.json.channels.map((row: { channel: string; conversions: number }) => [row.channel, row.conversions])))
        .toEqual(Object.fromEntries([...credit].map(([channel, value]) => [channel, Math.round(value * 100) / 100])));
    }
  }

  it('agree with the reference on random data', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), checkAll), { numRuns: 10, seed: Number(process.env.ANALYTICS_SEED ?? 4242) });
  }, 120_000);
});
