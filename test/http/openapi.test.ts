import { expect, it } from 'vitest';
import { describeEachStore } from '../support/stores';

describeEachStore('API documents', (env) => {
  it('serves an OpenAPI 3.1 document describing every route with its schemas', async () => {
    const response = await env().app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/points/earn', '/api/v1/points/spend', '/api/v1/points/transfer', '/api/v1/points/adjust',
      '/api/v1/points/transactions/{id}/reverse', '/api/v1/points/reservations', '/api/v1/points/reservations/{id}/commit',
      '/api/v1/points/reservations/{id}/void', '/api/v1/members', '/api/v1/members/{id}/balance', '/api/v1/members/{id}/transactions', '/api/v1/merchant',
      '/api/v1/events', '/api/v1/people/{id}', '/api/v1/members/{id}/timeline', '/api/v1/journey/stages', '/api/v1/rules', '/api/v1/rules/{id}', '/api/v1/rules/preview', '/api/v1/tiers', '/api/v1/members/{id}/tier', '/v1/track', '/v1/identify', '/v1/page', '/v1/screen', '/v1/group', '/v1/alias', '/v1/batch']) {
      expect(document.paths[path], path).toBeDefined();
    }
    const earn = document.paths['/api/v1/points/earn'].post;
    expect(earn.requestBody.content['application/json'].schema).toBeDefined();
    expect(Object.keys(earn.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '404', '409', '422', '429']));
    expect(earn.parameters.some((p: { name: string; in: string }) => p.name === 'idempotency-key' && p.in === 'header')).toBe(true);
  });

  it('serves the reference page and its assets locally, with no CDN', async () => {
    const page = await env().app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs|fonts\.googleapis)/);
    const assets = [...page.body.matchAll(/(?:src|href)="\.?\/?([^"]+)"/g)].map((match) => match[1] as string).filter((asset) => !asset.startsWith('http'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const response = await env().app.inject({ method: 'GET', url: `/docs/${asset.replace(/^\.?\//, '')}` });
      expect(response.statusCode, asset).toBe(200);
    }
  });

  it('answers the health check without a key', async () => {
    const response = await env().app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok', store: env().kind });
  });
});
