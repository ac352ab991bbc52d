import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { merchantWithWriteKey } from '../support/event-sender';
import { availablePointsOf } from '../support/polling';
import { describeEachStore, type TestMerchant } from '../support/stores';
import { tinyPng } from '../support/media-fixtures';

// The start of a JPEG: a real file signature (the PNG comes from the fixtures).
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]);

describeEachStore('user-generated content', (env) => {
  async function setup() {
    const shop = await merchantWithWriteKey(env());
    expect((await shop.m.request('POST', '/api/v1/rules', { template: 'ugc_approved' })).statusCode).toBe(201);
    await shop.send([{ type: 'identify', userId: 'nok', anonymousId: 'device-nok', traits: { name: 'Nok Srisuk' } }]);
    const memberId = (await shop.m.request('GET', '/api/v1/members?externalId=nok')).json.members[0].id as string;
    const slug = (await shop.m.request('GET', '/api/v1/merchant')).json.slug as string;
    return { ...shop, memberId, slug };
  }
  const upload = (m: TestMerchant, body: Buffer, contentType: string) => env().app.inject({
    method: 'POST', url: '/api/v1/ugc/uploads', payload: body, headers: { authorization: `Bearer ${m.key}`, 'content-type': contentType },
  });
  const uploadsOf = (merchantId: string) => {
    const dir = path.join(env().ctx.uploadsDir, merchantId);
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  const balanceOf = availablePointsOf;

  it('takes a photo from upload to the public feed and out again when consent is withdrawn', async () => {
    const { m, memberId, slug } = await setup();
    const uploaded = await upload(m, tinyPng, 'image/png');
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const { uploadId } = uploaded.json();
    const submitted = await m.request('POST', '/api/v1/ugc', { memberId, kind: 'photo', uploadId, text: 'Best latte in Ari', productId: 'latte', consent: true });
    expect(submitted.statusCode, JSON.stringify(submitted.json)).toBe(201);
    expect(submitted.json.status).toBe('pending');
    expect((await env().app.inject({ method: 'GET', url: `/public/${slug}/ugc` })).json().items).toEqual([]);
    expect((await m.request('GET', '/api/v1/ugc?status=pending')).json.items.map((item: { id: string }) => item.id)).toEqual([submitted.json.id]);

    const approved = await m.request('POST', `/api/v1/ugc/${submitted.json.id}/approve`);
    expect(approved.json.status).toBe('approved');
    expect(await balanceOf(m, memberId)).toBe(30);
    const feed = await env().app.inject({ method: 'GET', url: `/public/${slug}/ugc?productId=latte` });
    expect(feed.headers['access-control-allow-origin']).toBe('*');
    expect(feed.json().items).toEqual([expect.objectContaining({ id: submitted.json.id, kind: 'photo', text: 'Best latte in Ari', author: 'Nok', mediaPath: `/public/${slug}/ugc/${submitted.json.id}/media` })]);
    expect((await env().app.inject({ method: 'GET', url: `/public/${slug}/ugc?productId=mocha` })).json().items).toEqual([]);
    const media = await env().app.inject({ method: 'GET', url: feed.json().items[0].mediaPath });
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('image/png');
    expect(media.rawPayload.equals(tinyPng)).toBe(true);
    const person = (await m.request('GET', '/api/v1/events?limit=50')).json.events.find((e: { userId: string | null }) => e.userId === 'nok').personId;
    expect((await m.request('GET', `/api/v1/people/${person}`)).json.stages.map((s: { key: string }) => s.key)).toContain('advocacy');

    expect((await m.request('POST', `/api/v1/ugc/${submitted.json.id}/approve`)).statusCode).toBe(409);
    expect((await m.request('POST', `/api/v1/ugc/${submitted.json.id}/withdraw-consent`)).json.consent).toBe(false);
    expect((await env().app.inject({ method: 'GET', url: `/public/${slug}/ugc` })).json().items).toEqual([]);
    expect((await env().app.inject({ method: 'GET', url: feed.json().items[0].mediaPath })).statusCode).toBe(404);
  });

  it('refuses bad uploads with a clear error and keeps nothing', async () => {
    const { m } = await setup();
    const tooBig = await upload(m, Buffer.concat([tinyPng, Buffer.alloc(11 * 1024 * 1024)]), 'image/png');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toMatch(/at most 10 MB/);
    const mislabelled = await upload(m, jpeg, 'image/png');
    expect(mislabelled.statusCode).toBe(415);
    expect(mislabelled.json().error.message).toMatch(/is a image\/jpeg, not the image\/png/);
    const notImage = await upload(m, Buffer.from('<svg onload="alert(1)"></svg>'), 'image/png');
    expect(notImage.statusCode).toBe(415);
    const wrongType = await upload(m, tinyPng, 'text/html');
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('unsupported_media');
    expect(uploadsOf(m.merchantId)).toEqual([]);
    expect(await env().store.db.selectFrom('ugc_uploads').select('id').where('merchant_id', '=', m.merchantId).execute()).toEqual([]);
    expect((await upload(m, jpeg, 'image/jpeg')).statusCode).toBe(201);
    expect(uploadsOf(m.merchantId)).toHaveLength(1);
  });

  it('moderates reviews and social posts; only consented content is public', async () => {
    const { m, memberId, slug } = await setup();
    const review = (await m.request('POST', '/api/v1/ugc', { memberId, kind: 'review', rating: 5, text: 'อร่อยมาก', consent: false })).json;
    const post = await m.request('POST', '/api/v1/ugc', { memberId, kind: 'social_post', postUrl: 'https://www.instagram.com/p/abc/', consent: true });
    expect(post.statusCode).toBe(201);
    for (const bad of [
      { memberId, kind: 'review', consent: true },
      { memberId, kind: 'review', rating: 6, consent: true },
      { memberId, kind: 'social_post', postUrl: 'https://evil.example/p', consent: true },
      { memberId, kind: 'photo', consent: true },
      { memberId, kind: 'photo', mediaUrl: 'http://insecure.example/a.jpg', consent: true },
      { memberId, kind: 'photo', uploadId: 'upl_nope', consent: true },
    ]) expect((await m.request('POST', '/api/v1/ugc', bad)).statusCode, JSON.stringify(bad)).toBe(400);
    await m.request('POST', `/api/v1/ugc/${review.id}/approve`);
    const rejected = await m.request('POST', `/api/v1/ugc/${post.json.id}/reject`, { reason: 'not our product' });
    expect(rejected.json).toMatchObject({ status: 'rejected', decisionReason: 'not our product' });
    expect((await env().app.inject({ method: 'GET', url: `/public/${slug}/ugc` })).json().items).toEqual([]);
    expect((await env().app.inject({ method: 'GET', url: '/public/no-such-shop/ugc' })).statusCode).toBe(404);
    const widget = await env().app.inject({ method: 'GET', url: `/public/${slug}/ugc/widget.js` });
    expect(widget.headers['content-type']).toMatch(/^application\/javascript/);
    expect(widget.body).toContain(`/public/${slug}/ugc?limit=`);
  });
});
