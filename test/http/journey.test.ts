import { expect, it } from 'vitest';
import { merchantWithWriteKey } from '../support/event-sender';
import { describeEachStore } from '../support/stores';

describeEachStore('journey stages', (env) => {
  async function setup() {
    const { m, send } = await merchantWithWriteKey(env());
    const personOf = async (predicate: (e: any) => boolean) => {
      const events = (await m.request('GET', '/api/v1/events?limit=200')).json.events;
      const personId = events.find(predicate)?.personId;
      return (await m.request('GET', `/api/v1/people/${personId}`)).json;
    };
    return { m, send, personOf };
  }
  const t = (day: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + day * 86_400_000).toISOString();

  it('walks a visitor from Awareness to Loyalty by the default rules, recording each entry once', async () => {
    const { m, send, personOf } = await setup();
    await send([
      { type: 'page', name: 'Home', anonymousId: 'v1', timestamp: t(0) },
      { type: 'track', event: 'Product Viewed', anonymousId: 'v1', timestamp: t(1) },
      { type: 'track', event: 'Product Viewed', anonymousId: 'v1', timestamp: t(2) },
    ]);
    let person = await personOf((e) => e.anonymousId === 'v1');
    expect(person.stages.map((s: { key: string }) => s.key)).toEqual(['awareness']);
    await send([{ type: 'track', event: 'Product Viewed', anonymousId: 'v1', timestamp: t(3) }]);
    await send([{ type: 'identify', userId: 'c1', anonymousId: 'v1', timestamp: t(4) }, { type: 'track', event: 'Order Completed', userId: 'c1', timestamp: t(5) }]);
    await send([{ type: 'track', event: 'Order Completed', userId: 'c1', timestamp: t(200) }]);
    person = await personOf((e) => e.anonymousId === 'v1');
    expect(person.stages.map((s: { key: string; reachedAt: string }) => [s.key, s.reachedAt])).toEqual([
      ['awareness', t(0)], ['consideration', t(3)], ['purchase', t(5)],
    ]);
    await send([{ type: 'track', event: 'Order Completed', userId: 'c1', timestamp: t(230) }]);
    person = await personOf((e) => e.anonymousId === 'v1');
    expect(person.currentStage).toBe('loyalty');
    expect(person.stages.find((s: { key: string }) => s.key === 'loyalty').reachedAt).toBe(t(230));
    const entered = (await m.request('GET', '/api/v1/events?limit=200')).json.events.filter((e: any) => e.event === 'Stage Entered');
    expect(entered.map((e: any) => [e.properties.stage, e.properties.previousStage])).toEqual([
      ['awareness', null], ['consideration', 'awareness'], ['purchase', 'consideration'], ['loyalty', 'purchase'],
    ]);
    // Stages are entered once: another order adds no entry.
    await send([{ type: 'track', event: 'Order Completed', userId: 'c1', timestamp: t(230), messageId: 'again' }]);
    expect((await m.request('GET', '/api/v1/events?limit=200')).json.events.filter((e: any) => e.event === 'Stage Entered')).toHaveLength(4);
  });

  it('counts an event that arrives late with an earlier time', async () => {
    const { send, personOf } = await setup();
    await send([{ type: 'track', event: 'Product Viewed', anonymousId: 'late', timestamp: t(1) }]);
    await send([{ type: 'track', event: 'Product Viewed', anonymousId: 'late', timestamp: t(20) }]);
    await send([{ type: 'track', event: 'Product Viewed', anonymousId: 'late', timestamp: t(10) }]);
    const person = await personOf((e) => e.anonymousId === 'late');
    // Three views within 30 days: the third of them in time (day 20) is when Consideration was reached.
    expect(person.stages.find((s: { key: string }) => s.key === 'consideration')?.reachedAt).toBe(t(20));
  });

  it('merges two histories keeping the earliest time of each stage', async () => {
    const { send, personOf } = await setup();
    await send([{ type: 'identify', userId: 'c2', anonymousId: 'app', timestamp: t(10) }, { type: 'track', event: 'Order Completed', userId: 'c2', timestamp: t(11) }]);
    await send([{ type: 'track', event: 'Signed Up', anonymousId: 'web', timestamp: t(1) }]);
    await send([{ type: 'identify', userId: 'c2', anonymousId: 'web', timestamp: t(12) }]);
    const person = await personOf((e) => e.userId === 'c2');
    expect(person.stages.map((s: { key: string; reachedAt: string }) => [s.key, s.reachedAt])).toEqual([
      ['awareness', t(1)], ['consideration', t(1)], ['purchase', t(11)],
    ]);
  });

  it('uses the merchant rules: conditions and edited stages', async () => {
    const { m, send, personOf } = await setup();
    const saved = await m.request('PUT', '/api/v1/journey/stages', { stages: [
      { key: 'awareness', name: 'รู้จัก', rules: [{ event: '*' }] },
      { key: 'big_spender', name: 'Big spender', rules: [{ event: 'Order Completed', conditions: [{ property: 'revenue', op: 'gte', value: 1000 }] }] },
    ] });
    expect(saved.statusCode).toBe(200);
    expect((await m.request('GET', '/api/v1/journey/stages')).json.stages.map((s: { key: string }) => s.key)).toEqual(['awareness', 'big_spender']);
    await send([{ type: 'track', event: 'Order Completed', userId: 'c3', properties: { revenue: 300 }, timestamp: t(1) }]);
    expect((await personOf((e) => e.userId === 'c3')).currentStage).toBe('awareness');
    await send([{ type: 'track', event: 'Order Completed', userId: 'c3', properties: { revenue: 1500 }, timestamp: t(2) }]);
    expect((await personOf((e) => e.userId === 'c3')).currentStage).toBe('big_spender');
    const invalid = await m.request('PUT', '/api/v1/journey/stages', { stages: [{ key: 'Bad Key', name: 'x', rules: [] }] });
    expect(invalid.statusCode).toBe(400);
    const duplicate = await m.request('PUT', '/api/v1/journey/stages', { stages: [{ key: 'a', name: 'x', rules: [{ event: '*' }] }, { key: 'a', name: 'y', rules: [{ event: '*' }] }] });
    expect(duplicate.statusCode).toBe(400);
  });

  it('flags a person at risk after the merchant days without an event, and clears it with the next', async () => {
    const { m, send, personOf } = await setup();
    await m.request('PATCH', '/api/v1/merchant', { atRiskDays: 30 });
    const lastSeen = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await send([{ type: 'track', event: 'Product Viewed', anonymousId: 'quiet', timestamp: lastSeen }]);
    expect((await personOf((e) => e.anonymousId === 'quiet')).atRisk).toBe(true);
    await send([{ type: 'track', event: 'Product Viewed', anonymousId: 'quiet' }]);
    expect((await personOf((e) => e.anonymousId === 'quiet')).atRisk).toBe(false);
  });
});
