import fs from 'node:fs';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maxUploadBytes, mediaTypes } from '../../domain/ugc/media';
import type { ServiceContext } from '../../services/context';
import { approveUgc, getUgc, listUgc, rejectUgc, withdrawUgcConsent } from '../../services/ugc/moderate-ugc';
import { publicUgcFeed, publicUgcMedia } from '../../services/ugc/public-ugc';
import { submitUgc } from '../../services/ugc/submit-ugc';
import { uploadUgcMedia } from '../../services/ugc/upload-ugc-media';
import { ugcKinds } from '../../services/ugc/ugc-views';
import { merchantIdOf } from '../auth';
import { commonErrors, errorBody, id, idParams, pageQuery } from '../schemas';
import { ugcWidgetScript } from '../ugc-widget';

const errors = { ...commonErrors, 409: errorBody, 413: errorBody, 415: errorBody, 422: errorBody };
export const ugcSchema = z.object({
  id: z.string(), memberId: z.string(), kind: z.enum(ugcKinds), status: z.enum(['pending', 'approved', 'rejected']), uploadId: z.string().nullable(),
  mediaUrl: z.string().nullable(), postUrl: z.string().nullable(), rating: z.number().int().nullable(), text: z.string().nullable(),
  productId: z.string().nullable(), consent: z.boolean(), submittedAt: z.string(), decidedAt: z.string().nullable(), decisionReason: z.string().nullable(),
}).meta({ id: 'Ugc' });

/** In this scope every body is taken as raw bytes (up to the upload limit): the file itself. */
export function acceptRawUploads(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxUploadBytes }, (_request, body, done) => done(null, body));
}

export const ugcRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['ugc'];

  // Uploads take the raw file as the body; the bytes decide what it is, whatever the content type says.
  await app.register(async (uploads) => {
    acceptRawUploads(uploads);
    uploads.withTypeProvider<ZodTypeProvider>().post('/ugc/uploads', {
      bodyLimit: maxUploadBytes,
      schema: {
        tags, summary: `Upload a photo or video as the raw body (${mediaTypes.join(', ')}); then submit it with its uploadId`,
        response: { 201: z.object({ uploadId: z.string(), mediaType: z.string(), sizeBytes: z.number().int() }), ...errors },
      },
    }, async (request, reply) => {
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return reply.code(201).send(await uploadUgcMedia(ctx, merchantIdOf(request), { declaredType: request.headers['content-type'] ?? '', bytes }));
    });
  });

  app.post('/ugc', {
    schema: {
      tags, summary: "Submit a member's photo, video, review or social post for moderation",
      body: z.strictObject({
        memberId: id, kind: z.enum(ugcKinds),
        uploadId: id.optional().describe('A photo or video uploaded to /ugc/uploads'),
        mediaUrl: z.url({ protocol: /^https$/ }).max(2000).optional().describe('Or an https URL of the photo or video'),
        postUrl: z.url({ protocol: /^https$/ }).max(2000).optional().describe('For a social post: the public post'),
        rating: z.number().int().min(1).max(5).optional(), text: z.string().trim().max(2000).optional(),
        productId: z.string().trim().min(1).max(200).optional(),
        consent: z.boolean().describe('The member agrees to show it publicly (on the merchant\'s site)'),
      }),
      response: { 201: ugcSchema, ...errors },
    },
  }, async (request, reply) => reply.code(201).send(await submitUgc(ctx, merchantIdOf(request), request.body)));
  app.get('/ugc', {
    schema: { tags, summary: 'Content; status=pending is the moderation queue', querystring: pageQuery.extend({ status: z.enum(['pending', 'approved', 'rejected']).optional(), memberId: id.optional() }), response: { 200: z.object({ items: z.array(ugcSchema), nextCursor: z.string().nullable() }), ...errors } },
  }, async (request) => listUgc(ctx, merchantIdOf(request), request.query));
  app.get('/ugc/:id', { schema: { tags, summary: 'One piece of content', params: idParams, response: { 200: ugcSchema, ...errors } } },
    async (request) => getUgc(ctx, merchantIdOf(request), request.params.id));
  app.post('/ugc/:id/approve', { schema: { tags, summary: 'Approve: UGC Approved earns points by rule and counts toward Advocacy', params: idParams, response: { 200: ugcSchema, ...errors } } },
    async (request) => approveUgc(ctx, merchantIdOf(request), request.params.id));
  app.post('/ugc/:id/reject', { schema: { tags, summary: 'Reject with a reason', params: idParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500) }), response: { 200: ugcSchema, ...errors } } },
    async (request) => rejectUgc(ctx, merchantIdOf(request), request.params.id, request.body.reason));
  app.post('/ugc/:id/withdraw-consent', { schema: { tags, summary: 'The author withdraws consent: gone from the public feed at once', params: idParams, response: { 200: ugcSchema, ...errors } } },
    async (request) => withdrawUgcConsent(ctx, merchantIdOf(request), request.params.id));
};

/** Public, read-only: the approved, consented feed, its media, and the embeddable widget. */
export const publicUgcRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];
  const slugParams = z.object({ slug: z.string().min(1).max(100) });
  app.get('/public/:slug/ugc', {
    schema: {
      tags, summary: "Approved content whose authors consent to show it (for the merchant's site)", params: slugParams,
      querystring: z.object({ productId: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(24) }),
      response: {
        200: z.object({ items: z.array(z.object({
          id: z.string(), kind: z.string(), mediaPath: z.string().nullable(), mediaUrl: z.string().nullable(), postUrl: z.string().nullable(),
          rating: z.number().int().nullable(), text: z.string().nullable(), productId: z.string().nullable(), author: z.string(), approvedAt: z.string(),
        })) }),
        404: errorBody,
      },
    },
  }, async (request, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('cache-control', 'public, max-age=60');
    return publicUgcFeed(ctx, request.params.slug, request.query);
  });
  app.get('/public/:slug/ugc/:id/media', {
    schema: { tags, summary: 'An approved photo or video', params: slugParams.extend({ id }), response: { 404: errorBody } },
  }, async (request, reply) => {
    const { filePath, mediaType } = await publicUgcMedia(ctx, request.params.slug, request.params.id);
    reply.header('content-type', mediaType).header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=300');
    reply.header('access-control-allow-origin', '*');
    return reply.send(fs.createReadStream(filePath) as never);
  });
  app.get('/public/:slug/ugc/widget.js', {
    schema: { tags, summary: 'The widget: one <script> tag shows the feed on any page', params: slugParams },
  }, async (request, reply) => reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(ugcWidgetScript(request.params.slug)));
};
