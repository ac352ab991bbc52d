import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../services/context';
import { requireMerchantPrincipal } from './auth';
import { handleError, sendError } from './errors';
import { LazyRequestLogger } from './request-logger';
import { analyticsRoutes } from './routes/analytics';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { ingestRoutes } from './routes/ingest';
import { journeyRoutes } from './routes/journey';
import { keyRoutes } from './routes/keys';
import { memberRoutes } from './routes/members';
import { merchantRoutes, overviewRoutes } from './routes/merchant';
import { peopleRoutes } from './routes/people';
import { defaultLineJwksUrl } from '../services/portal/sign-in-with-line';
import { pointsRoutes } from './routes/points';
import { portalRoutes, signInLinkRoutes } from './routes/portal';
import { referralLinkRoutes, referralRoutes } from './routes/referrals';
import { rewardRoutes } from './routes/rewards';
import { shareLinkRoutes, shareRedirectRoutes } from './routes/share-links';
import { publicUgcRoutes, ugcRoutes } from './routes/ugc';
import { authRoutes, staffRoutes } from './routes/staff';
import { rulesRoutes } from './routes/rules';
import { tierRoutes } from './routes/tiers';
import { webAppRoutes } from './routes/web-apps';
import path from 'node:path';

export interface AppOptions {
  /** Requests per minute per API key (or per IP without one). */
  rateLimitPerMinute?: number;
  bodyLimitBytes?: number;
  /** Where the built web apps are (default dist/web). */
  webDir?: string;
  /** Lets anyone try the member portal as this merchant's demo member (the demo merchant only). */
  demoMerchantSlug?: string | null;
  /** Where LINE's ID-token signing keys are (default LINE's own); tests serve their own. */
  lineJwksUrl?: string;
}

export type App = FastifyInstance;

export async function buildApp(ctx: ServiceContext, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    // A line per request would cost more than the request; errors are still logged with the request id.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger, bindings, options) => new LazyRequestLogger(logger, bindings, options),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Responses are typed by the services and the zod schemas at compile time; validating every
  // response again at run time would cost the hot path for no gain.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler((error: FastifyError, request, reply) => handleError(error, request, reply, ctx.store.dialect));
  app.setNotFoundHandler((request, reply) => sendError(reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Sentang API', version: '0.1.0', description: 'Customer journey and loyalty engine. Amounts in points (integers); times in ISO 8601 UTC.' },
      components: {
        securitySchemes: {
          secretKey: { type: 'http', scheme: 'bearer', description: 'A secret key, sk_…' },
          writeKey: { type: 'http', scheme: 'basic', description: 'A write key, wk_…, as the user name with an empty password' },
        },
      },
      security: [{ secretKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null, deepLinking: true } } as never);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(fastifyRateLimit, {
    global: true,
    max: options.rateLimitPerMinute ?? 60_000,
    timeWindow: 60_000,
    keyGenerator: (request) => request.headers.authorization ?? request.ip,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, code: 'rate_limited', message: `Too many requests; retry in ${context.after}` }),
  });

  await app.register(healthRoutes(ctx));
  await app.register(ingestRoutes(ctx));
  await app.register(referralLinkRoutes(ctx));
  await app.register(shareRedirectRoutes(ctx));
  await app.register(publicUgcRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(portalRoutes(ctx, { demoMerchantSlug: options.demoMerchantSlug ?? null, lineJwksUrl: options.lineJwksUrl ?? defaultLineJwksUrl }));
  await app.register(webAppRoutes(options.webDir ?? path.resolve('dist/web')));
  await app.register(async (api) => {
    requireMerchantPrincipal(api, ctx);
    await api.register(merchantRoutes(ctx));
    await api.register(overviewRoutes(ctx));
    await api.register(memberRoutes(ctx));
    await api.register(signInLinkRoutes(ctx));
    await api.register(pointsRoutes(ctx));
    await api.register(eventRoutes(ctx));
    await api.register(peopleRoutes(ctx));
    await api.register(journeyRoutes(ctx));
    await api.register(rulesRoutes(ctx));
    await api.register(tierRoutes(ctx));
    await api.register(analyticsRoutes(ctx));
    await api.register(rewardRoutes(ctx));
    await api.register(referralRoutes(ctx));
    await api.register(shareLinkRoutes(ctx));
    await api.register(ugcRoutes(ctx));
    await api.register(staffRoutes(ctx));
    await api.register(keyRoutes(ctx));
  }, { prefix: '/api/v1' });

  app.addHook('onClose', async () => {
    // Queued events first: storing them may queue awards for the ledger.
    await ctx.ingest.drain();
    await ctx.ledger.drain();
  });
  return app;
}
