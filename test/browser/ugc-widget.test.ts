/// <reference lib="dom" />
// The UGC widget in a real browser: a shop's page on one origin embeds the one script tag from
// Sentang on another, and shows the approved, consented content — member text as text only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { describeInChromium } from '../support/browser';
import { merchantWithWriteKey } from '../support/event-sender';
import { describeEachStore } from '../support/stores';
import { tinyPng } from '../support/media-fixtures';


describeInChromium('UGC widget in Chromium', (browser) => {
  describeEachStore('on a shop page', (env) => {
    it('renders approved, consented content from one script tag, and never runs member text', async () => {
      const { m, send } = await merchantWithWriteKey(env());
      await send([{ type: 'identify', userId: 'nok', traits: { name: 'Nok Srisuk' } }]);
      const memberId = (await m.request('GET', '/api/v1/members?externalId=nok')).json.members[0].id;
      const slug = (await m.request('GET', '/api/v1/merchant')).json.slug;
      const upload = await env().app.inject({ method: 'POST', url: '/api/v1/ugc/uploads', payload: tinyPng, headers: { authorization: `Bearer ${m.key}`, 'content-type': 'image/png' } });
      const photo = (await m.request('POST', '/api/v1/ugc', { memberId, kind: 'photo', uploadId: upload.json().uploadId, text: '<img src=x onerror="window.__pwned=1">', productId: 'latte', consent: true })).json;
      const review = (await m.request('POST', '/api/v1/ugc', { memberId, kind: 'review', rating: 4, text: 'หอมมาก', productId: 'latte', consent: true })).json;
      const hidden = (await m.request('POST', '/api/v1/ugc', { memberId, kind: 'review', rating: 1, text: 'not for the public', productId: 'latte', consent: false })).json;
      for (const item of [photo, review, hidden]) await m.request('POST', `/api/v1/ugc/${item.id}/approve`);

      // Sentang on one origin, the shop's page on another.
      const sentang = await env().app.listen({ port: 0, host: '127.0.0.1' });
      const shop = http.createServer((_request, response) => {
        response.setHeader('content-type', 'text/html; charset=utf-8');
        response.end(`<!doctype html><title>Café</title><h1>Latte</h1><script src="${sentang}/public/${slug}/ugc/widget.js" data-product="latte" async></script>`);
      });
      await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
      const page = await browser().newPage();
      try {
        await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
        await page.waitForSelector('.sentang-ugc figure');
        const cards = await page.$$eval('.sentang-ugc figure', (figures) => figures.map((figure) => ({
          id: figure.getAttribute('data-ugc-id'), text: figure.querySelector('p')?.textContent ?? null,
          author: figure.querySelector('figcaption')?.textContent, image: (figure.querySelector('img') as HTMLImageElement | null)?.naturalWidth ?? null,
        })));
        expect(cards.map((card) => card.id).sort()).toEqual([photo.id, review.id].sort());
        const shown = cards.find((card) => card.id === photo.id);
        expect(shown).toMatchObject({ text: '<img src=x onerror="window.__pwned=1">', author: 'Nok' });
        await page.waitForFunction(() => (document.querySelector('.sentang-ugc img') as HTMLImageElement | null)?.complete === true);
        expect(await page.$eval('.sentang-ugc img', (img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
        fs.mkdirSync('test-artifacts', { recursive: true });
        await page.screenshot({ path: `test-artifacts/ugc-widget-${env().kind}.png` });
      } finally {
        await page.close();
        await new Promise((resolve) => shop.close(resolve));
      }
    }, 60_000);
  });
}, { needsWebBuild: false });
