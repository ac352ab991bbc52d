import { expect, it } from 'vitest';
import { createApiKey } from '../../src/services/keys/create-api-key';
import { basicAuth } from '../support/event-sender';
import { describeEachStore, type TestMerchant } from '../support/stores';


describeEachStore('Segment ingestion', (env) => {
  async function setup(): Promise<{ m: TestMerchant; writeKey: string; post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ statusCode: number; json: any; headers: Record<string, unknown> }> }> {
    const m = await env().newMerchant();
    const writeKey = (await createApiKey(env().ctx, m.merchantId, { kind: 'write' })).secret;
    return {
      m, writeKey,
      async post(path, body, headers = {}) {
        const response = await env().app.inject({
          method: 'POST', url: path, payload: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json', ...headers },
        });
        return { statusCode: response.statusCode, json: response.json(), headers: response.headers };
      },
    };
  }
  // The customer's own events, without the Stage Entered events Sentang adds.
  const events = async (m: TestMerchant) => (await m.request('GET', '/api/v1/events?limit=200')).json.events.filter((e: { event: string | null }) => e.event !== 'Stage Entered');

  it('accepts each call of the Segment API with a write key as the Basic user', async () => {
    const { m, post } = await setup();
    const calls: [string, unknown][] = [
      ['/v1/track', { event: 'Product Viewed', anonymousId: 'anon-1', properties: { sku: 'latte' }, context: { campaign: { source: 'line' } } }],
      ['/v1/identify', { userId: 'user-1', anonymousId: 'anon-1', traits: { phone: '0812345678' } }],
      ['/v1/page', { name: 'Menu', anonymousId: 'anon-1' }],
      ['/v1/screen', { name: 'Home', userId: 'user-1' }],
      ['/v1/group', { groupId: 'branch-ari', userId: 'user-1' }],
      ['/v1/alias', { previousId: 'anon-1', userId: 'user-1' }],
    ];
    for (const [path, body] of calls) {
      const response = await post(path, body);
      expect(response.statusCode, path).toBe(200);
      expect(response.json).toEqual({ success: true, received: 1, stored: 1 });
    }
    const stored = await events(m);
    expect(stored.map((e: any) => e.type)).toEqual(['track', 'identify', 'page', 'screen', 'group', 'alias']);
    expect(stored[0]).toMatchObject({ event: 'Product Viewed', anonymousId: 'anon-1', properties: { sku: 'latte' }, context: { campaign: { source: 'line' } } });
  });

  it('stores a redelivered batch once', async () => {
    const { m, post } = await setup();
    const batch = { batch: [
      { type: 'track', event: 'Order Completed', userId: 'u1', messageId: 'order-1', properties: { revenue: 250 } },
      { type: 'page', name: 'Thanks', userId: 'u1', messageId: 'page-1' },
    ] };
    expect((await post('/v1/batch', batch)).json).toEqual({ success: true, received: 2, stored: 2 });
    expect((await post('/v1/batch', batch)).json).toEqual({ success: true, received: 2, stored: 0 });
    expect(await events(m)).toHaveLength(2);
  });

  it('refuses a malformed batch whole, naming each bad message', async () => {
    const { m, post } = await setup();
    const response = await post('/v1/batch', { batch: [
      { type: 'track', event: 'Fine', userId: 'u1' },
      { type: 'track', userId: 'u1' },
      { type: 'teleport', userId: 'u1' },
      { type: 'identify' },
    ] });
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('invalid_request');
    expect(response.json.error.details.messages).toEqual([
      { index: 1, reason: 'a track message needs an event name' },
      { index: 2, reason: expect.stringContaining('type must be one of') },
      { index: 3, reason: 'userId or anonymousId is required' },
    ]);
    expect(await events(m)).toEqual([]);
  });

  it('enforces 32 KB per message and 500 KB per batch', async () => {
    const { m, post } = await setup();
    const big = { type: 'track', event: 'Big', userId: 'u1', properties: { blob: 'x'.repeat(33 * 1024) } };
    const single = await post('/v1/track', big);
    expect(single.statusCode).toBe(413);
    const inBatch = await post('/v1/batch', { batch: [{ type: 'track', event: 'ok', userId: 'u1' }, big] });
    expect(inBatch.statusCode).toBe(400);
    expect(inBatch.json.error.details.messages).toEqual([{ index: 1, reason: 'the message is larger than 32 KB' }]);
    const huge = await post('/v1/batch', { batch: Array.from({ length: 20 }, () => ({ ...big, properties: { blob: 'y'.repeat(30 * 1024) } })) });
    expect(huge.statusCode).toBe(413);
    expect(await events(m)).toEqual([]);
  });

  it('takes the write key from the body, and text/plain bodies from browsers', async () => {
    const { m, writeKey } = await setup();
    const response = await env().app.inject({
      method: 'POST', url: '/v1/track', headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ writeKey, event: 'Share Link Clicked', anonymousId: 'a1' }),
    });
    expect(response.statusCode).toBe(200);
    expect(await events(m)).toHaveLength(1);
  });

  it('answers a browser preflight with CORS headers', async () => {
    const response = await env().app.inject({
      method: 'OPTIONS', url: '/v1/batch',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(response.statusCode).toBeLessThan(300);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
  });

  it('refuses a missing or unknown write key, and a write key on the secret API', async () => {
    const { writeKey } = await setup();
    const none = await env().app.inject({ method: 'POST', url: '/v1/track', payload: { event: 'x', userId: 'u' } });
    expect(none.statusCode).toBe(401);
    const unknown = await env().app.inject({ method: 'POST', url: '/v1/track', payload: { event: 'x', userId: 'u' }, headers: { authorization: basicAuth('wk_unknown_0000000000000000') } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('unauthorized');
    const secretApi = await env().app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${writeKey}` } });
    expect(secretApi.statusCode).toBe(403);
  });

  it("keeps each merchant's events to itself", async () => {
    const first = await setup();
    const second = await setup();
    await first.post('/v1/track', { event: 'Mine', userId: 'u1', messageId: 'same-id' });
    // The same messageId at another merchant is another event.
    expect((await second.post('/v1/track', { event: 'Theirs', userId: 'u1', messageId: 'same-id' })).json.stored).toBe(1);
    expect((await events(first.m)).map((e: any) => e.event)).toEqual(['Mine']);
    expect((await events(second.m)).map((e: any) => e.event)).toEqual(['Theirs']);
  });
});
