import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** The pages of the web apps; each is the same single-page app, which reads its path. */
export const webPages = ['/', '/cashier', '/members', '/members/:id', '/rules', '/rewards', '/analytics', '/review', '/settings'];
const pageHeaders = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

const portalHeaders = {
  ...pageHeaders,
  'content-security-policy': "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; connect-src 'self' https://*.line.me https://*.line-scdn.net; frame-ancestors 'none'",
};

/**
 * Serves the built web apps (`npm run build:web`, which `npm start` and `npm test` run first) from
 * `webDir`. Without a build the pages say how to make one instead of failing obscurely.
 */
export const webAppRoutes = (webDir: string): FastifyPluginAsync => async (app) => {
  const built = fs.existsSync(path.join(webDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: false });
  const servePage = (page: string, file: string, headers: Record<string, string>) => app.get(page, { schema: { hide: true } }, async (_request, reply) => {
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').send('The web apps are not built: run "npm run build:web" (npm start does it for you).\n');
    return reply.headers(headers).sendFile(file);
  });
  for (const page of webPages) servePage(page, 'index.html', pageHeaders);
  // The member portal is its own small bundle (no charts): it is opened on phones, often inside
  // LINE, where the LIFF SDK it carries talks to LINE's servers.
  servePage('/portal', 'portal.html', portalHeaders);
};
