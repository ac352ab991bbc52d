// The Segment HTTP Tracking API, so Segment and RudderStack SDKs work by pointing their host here.
// Authenticated with a write key (wk_…) as the Basic user name, or as `writeKey` in the body.
import fastifyCors from '@fastify/cors';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { maxBatchBytes, maxMessageBytes, segmentMessageTypes, type SegmentMessageType } from '../../domain/events/parse-segment-message';
import type { ServiceContext } from '../../services/context';
import { ingestEvents } from '../../services/events/ingest-events';
import { authenticateApiKey } from '../../services/keys/authenticate-api-key';
import { commonErrors, errorBody } from '../schemas';

const messageFields = {
  messageId: z.string().optional().describe('Deduplicates: a redelivered message is stored once'),
  anonymousId: z.union([z.string(), z.number()]).optional(),
  userId: z.union([z.string(), z.number()]).optional(),
  event: z.string().optional().describe('track: the event name'),
  name: z.string().optional().describe('page, screen: the page or screen name'),
  previousId: z.union([z.string(), z.number()]).optional().describe('alias: the earlier id'),
  groupId: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
  context: z.record(z.string(), z.unknown()).optional().describe('campaign (UTM), ip, userAgent, page, …'),
  timestamp: z.string().optional(),
  originalTimestamp: z.string().optional(),
  sentAt: z.string().optional(),
  writeKey: z.string().optional(),
};
// Loose: the fields are for the API reference; each message is checked by parseSegmentMessage so a
// batch can report every bad message by index.
const messageBody = z.looseObject(messageFields);
const batchBody = z.looseObject({ batch: z.array(z.unknown()), sentAt: z.string().optional(), writeKey: z.string().optional() });
const accepted = z.object({ success: z.literal(true), received: z.number().int(), stored: z.number().int() });

function writeKeyOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const basic = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return decoded.split(':')[0] || null;
  }
  const body = request.body as { writeKey?: unknown } | undefined;
  return typeof body?.writeKey === 'string' ? body.writeKey : null;
}

export const ingestRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  // Browsers post from the merchant's own site; the write key is public by design.
  await plain.register(fastifyCors, { origin: true, methods: ['POST'], allowedHeaders: ['Content-Type', 'Authorization'], maxAge: 86_400 });
  // analytics.js sends text/plain to avoid a preflight; the body is JSON all the same.
  plain.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const error = new Error('The body is not valid JSON') as Error & { statusCode: number; code: string };
      error.statusCode = 400;
      error.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(error, undefined);
    }
  });
  const app = plain.withTypeProvider<ZodTypeProvider>();

  const merchantOf = async (request: FastifyRequest): Promise<string> => {
    const key = writeKeyOf(request);
    if (!key) throw new DomainError('unauthorized', 'Send the write key as the Basic auth user name, or as writeKey in the body');
    const principal = await authenticateApiKey(ctx, key);
    if (!principal) throw new DomainError('unauthorized', 'This write key is unknown or revoked');
    return principal.merchantId;
  };
  const errors = { ...commonErrors, 413: errorBody };

  for (const type of segmentMessageTypes) {
    app.post(`/v1/${type}`, {
      bodyLimit: maxMessageBytes,
      schema: { tags: ['ingest'], summary: `Segment ${type} call`, security: [{ writeKey: [] }], body: messageBody, response: { 200: accepted, ...errors } },
    }, async (request) => {
      const merchantId = await merchantOf(request);
      return { success: true as const, ...(await ingestEvents(ctx, merchantId, [request.body], type as SegmentMessageType)) };
    });
  }

  app.post('/v1/batch', {
    bodyLimit: maxBatchBytes,
    schema: {
      tags: ['ingest'], summary: 'Segment batch: up to 500 KB of messages, each naming its type; stored whole or not at all',
      security: [{ writeKey: [] }], body: batchBody, response: { 200: accepted, ...errors },
    },
  }, async (request) => {
    const merchantId = await merchantOf(request);
    const body = request.body as { batch: unknown[]; sentAt?: string };
    return { success: true as const, ...(await ingestEvents(ctx, merchantId, body.batch, null, body.sentAt)) };
  });
};
