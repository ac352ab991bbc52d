// Members signing in to the portal through a merchant's LIFF app: the ID token LINE issued is
// checked against LINE's signing keys — here a key set served on 127.0.0.1, standing in for LINE's
// — for issuer, audience (the merchant's LINE Login channel), expiry and signature.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, expect, it } from 'vitest';
import { describeEachStore, type TestEnv, type TestMerchant } from '../support/stores';

const lineKeys = await generateKeyPair('ES256');
const strangerKeys = await generateKeyPair('ES256');
const publicJwk = { ...(await exportJWK(lineKeys.publicKey)), kid: 'line-test-key', alg: 'ES256', use: 'sig' };
let keyFetches = 0;
const jwksServer = http.createServer((_request, response) => {
  keyFetches += 1;
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
});
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/oauth2/v2.1/certs`;
afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

const channelId = '1657000000';
async function idToken(claims: { sub?: string; name?: string; aud?: string; iss?: string; expiresInSeconds?: number; nowMs: number }, key = lineKeys.privateKey, kid = 'line-test-key'): Promise<string> {
  const issuedAt = Math.floor(claims.nowMs / 1000);
  const jwt = new SignJWT({ name: claims.name ?? 'Ploy', amr: ['linesso'] })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? 'https://access.line.me').setAudience(claims.aud ?? channelId)
    .setIssuedAt(issuedAt).setExpirationTime(issuedAt + (claims.expiresInSeconds ?? 3600));
  if (claims.sub !== '') jwt.setSubject(claims.sub ?? 'U4af4980629f00000000000000000000a');
  return jwt.sign(key);
}

describeEachStore('member portal sign-in with LINE', (env) => {
  async function lineShop(): Promise<{ m: TestMerchant; slug: string }> {
    const m = await env().newMerchant();
    const set = await m.request('PATCH', '/api/v1/merchant', { lineChannelId: channelId, liffId: `${channelId}-AbCdEfGh` });
    expect(set.statusCode, JSON.stringify(set.json)).toBe(200);
    expect(set.json).toMatchObject({ lineChannelId: channelId, liffId: `${channelId}-AbCdEfGh` });
    return { m, slug: set.json.slug as string };
  }
  const session = (e: TestEnv, merchant: string, token: string, remoteAddress = '127.0.0.1') =>
    e.app.inject({ method: 'POST', url: '/portal/api/line-session', payload: { merchant, idToken: token }, remoteAddress });

  it('signs a LINE user in, making them a member the first time and finding them after', async () => {
    env().clock.set(Date.now());
    const { m, slug } = await lineShop();
    expect((await env().app.inject({ method: 'GET', url: `/portal/api/line-login?merchant=${slug}` })).json()).toEqual({ liffId: `${channelId}-AbCdEfGh` });
    const first = await session(env(), slug, await idToken({ sub: 'U111', name: 'พลอย', nowMs: env().clock.nowMs() }));
    expect(first.statusCode, first.body).toBe(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0] as string;
    const card = (await env().app.inject({ method: 'GET', url: '/portal/api/me', headers: { cookie } })).json();
    expect(card.member.name).toBe('พลอย');
    const member = (await m.request('GET', '/api/v1/members?lineUserId=U111')).json.members[0];
    expect(member.id).toBe(first.json().memberId);
    const again = await session(env(), slug, await idToken({ sub: 'U111', name: 'Ploy renamed', nowMs: env().clock.nowMs() }));
    expect(again.json().memberId).toBe(member.id);
    expect((await m.request('GET', '/api/v1/members?lineUserId=U111')).json.members).toHaveLength(1);
    expect(keyFetches).toBeGreaterThan(0);
  });

  it('refuses a token for another channel, from another issuer, expired, signed by someone else, or without a user', async () => {
    env().clock.set(Date.now());
    const { m, slug } = await lineShop();
    const nowMs = env().clock.nowMs();
    const refused = [
      await idToken({ aud: '1999999999', nowMs }),
      await idToken({ iss: 'https://evil.example', nowMs }),
      await idToken({ nowMs: nowMs - 2 * 3_600_000 }),
      await idToken({ nowMs }, strangerKeys.privateKey),
      await idToken({ nowMs }, strangerKeys.privateKey, 'unknown-key'),
      await idToken({ sub: '', nowMs }),
      'not.a.jwt-at-all-but-long-enough',
    ];
    for (const token of refused) {
      const answer = await session(env(), slug, token, '10.1.1.1');
      expect(answer.statusCode, answer.body).toBe(401);
    }
    expect((await m.request('GET', '/api/v1/members')).json.members).toHaveLength(0);
  });

  it('answers 404 for a shop without LINE sign-in, and checks the settings', async () => {
    const plain = await env().newMerchant();
    const { slug } = (await plain.request('GET', '/api/v1/merchant')).json;
    expect((await env().app.inject({ method: 'GET', url: `/portal/api/line-login?merchant=${slug}` })).statusCode).toBe(404);
    expect((await session(env(), slug, await idToken({ nowMs: Date.now() }), '10.1.1.2')).statusCode).toBe(404);
    expect((await session(env(), 'no-such-shop', await idToken({ nowMs: Date.now() }), '10.1.1.2')).statusCode).toBe(404);
    expect((await plain.request('PATCH', '/api/v1/merchant', { lineChannelId: 'abc' })).statusCode).toBe(400);
    expect((await plain.request('PATCH', '/api/v1/merchant', { liffId: 'nope' })).statusCode).toBe(400);
  });
}, { lineJwksUrl: jwksUrl });
