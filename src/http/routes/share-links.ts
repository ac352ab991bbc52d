import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { createShareLink } from '../../services/sharing/create-share-link';
import { followShareLink } from '../../services/sharing/follow-share-link';
import { getShareLink, listMemberShareLinks } from '../../services/sharing/share-link-stats';
import { cookieOf, merchantIdOf } from '../auth';
import { commonErrors, errorBody, id, idParams } from '../schemas';

const errors = { ...commonErrors, 409: errorBody, 422: errorBody };
const stats = z.object({
  clicks: z.number().int(), uniqueVisitors: z.number().int(), countedClicks: z.number().int().describe("Clicks that earned the sharer points: not their own, first per visitor"),
  signups: z.number().int(), orders: z.number().int(), revenueSatang: z.number().int(),
});
const shareLinkSchema = z.object({
  code: z.string(), path: z.string(), link: z.string(), memberId: z.string().nullable(), targetUrl: z.string(), campaign: z.string().nullable(), createdAt: z.string(),
}).meta({ id: 'ShareLink' });
const visitorCookie = 'sentang_aid';

export const shareLinkRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['sharing'];
  app.post('/share-links', {
    schema: {
      tags, summary: "A short link /s/{code} to a page of the merchant's website, shared by a member (or anyone)",
      body: z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000), memberId: id.optional(), campaign: z.string().trim().min(1).max(100).optional() }),
      response: { 201: shareLinkSchema, ...errors },
    },
  }, async (request, reply) => {
    const view = await createShareLink(ctx, merchantIdOf(request), request.body);
    return reply.code(201).send({ ...view, link: `${request.protocol}://${request.host}${view.path}` });
  });
  app.get('/share-links/:code', {
    schema: { tags, summary: 'A share link with its clicks, visitors, sign-ups, orders and revenue', params: z.object({ code: z.string().max(32) }), response: { 200: shareLinkSchema.extend({ stats }), ...errors } },
  }, async (request) => {
    const view = await getShareLink(ctx, merchantIdOf(request), request.params.code);
    return { ...view, link: `${request.protocol}://${request.host}${view.path}` };
  });
  app.get('/members/:id/share-links', {
    schema: { tags, summary: "A member's share links with their results, and the totals", params: idParams, response: { 200: z.object({ links: z.array(shareLinkSchema.extend({ stats })), totals: stats }), ...errors } },
  }, async (request) => {
    const { links, totals } = await listMemberShareLinks(ctx, merchantIdOf(request), request.params.id);
    return { links: links.map((link) => ({ ...link, link: `${request.protocol}://${request.host}${link.path}` })), totals };
  });
};

/** Public: `/s/{code}` records the click and sends the visitor on with UTM values and `sref`. */
export const shareRedirectRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/s/:code', {
    schema: { tags: ['sharing'], summary: 'Follow a share link: 302 to the page, with a first-party visitor id cookie', params: z.object({ code: z.string().max(32) }), response: { 404: errorBody } },
  }, async (request, reply) => {
    const { location, visitorId } = await followShareLink(ctx, request.params.code, cookieOf(request, visitorCookie));
    // Readable by the site's own scripts (not HttpOnly), so its analytics can use the same anonymous id.
    reply.header('set-cookie', `${visitorCookie}=${encodeURIComponent(visitorId)}; Path=/; Max-Age=31536000; SameSite=Lax${request.protocol === 'https' ? '; Secure' : ''}`);
    reply.header('cache-control', 'no-store');
    return reply.redirect(location, 302);
  });
};
