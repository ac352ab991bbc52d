import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { buildApp } from '../../http/app';
import { createStaff } from '../../services/staff/manage-staff';
import { seedDemoData } from '../../services/demo/seed-demo-data';
import { createApiKey } from '../../services/keys/create-api-key';
import { createMerchant } from '../../services/merchants/create-merchant';
import { listMerchants } from '../../services/merchants/get-merchant';
import { expirePoints } from '../../services/points/expire-points';
import { reconcileRedemptions } from '../../services/rewards/reconcile-redemptions';
import { awardBirthdays } from '../../services/rules/award-birthdays';
import { sweepAwards } from '../../services/rules/schedule-awards';
import { startServices } from '../../services/start-services';
import { evaluateTiers } from '../../services/tiers/evaluate-member-tier';
import type { Config } from '../config';
import { scheduleOptimizedCodeRefreshes } from '../refresh-optimized-code';

const shutdownGraceMs = 10_000;

/** Migrates, makes the demo merchant on first start, serves, and shuts down gracefully on SIGTERM/SIGINT. */
export async function serve(config: Config): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const services = await startServices({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger,
    ledgerWriterThread: config.ledgerWriterThread, sqliteCheckpointIntervalMs: config.sqliteCheckpointIntervalMs,
  });
  const { store, ctx } = services;
  const print = (line = '') => process.stdout.write(`${line}\n`);

  let seedDemo: string | null = null;
  if (config.demo && (await listMerchants(ctx)).length === 0) {
    const merchant = await createMerchant(ctx, { name: 'Demo Café Bangkok', slug: 'demo' });
    const key = await createApiKey(ctx, merchant.id, { kind: 'secret', label: 'demo', secret: config.demoKey });
    const writeKey = await createApiKey(ctx, merchant.id, { kind: 'write', label: 'demo website', secret: config.demoWriteKey });
    print(`Created the demo merchant "${merchant.name}" (${merchant.id}).`);
    print(config.demoKey ? 'Its secret key is the one in SENTANG_DEMO_KEY.' : `Its secret key, shown this once: ${key.secret}`);
    print(config.demoWriteKey ? 'Its write key is the one in SENTANG_DEMO_WRITE_KEY.' : `Its write key (for event ingestion), shown this once: ${writeKey.secret}`);
    const ownerPassword = config.demoPassword ?? randomBytes(12).toString('base64url');
    const owner = await createStaff(ctx, merchant.id, { email: 'owner@demo.sentang.local', name: 'Demo owner', role: 'owner', password: ownerPassword });
    seedDemo = config.demoData ? merchant.id : null;
    print(`Its owner signs in as ${owner.email} with ${config.demoPassword ? 'the password in SENTANG_DEMO_PASSWORD' : `the password (shown this once) ${ownerPassword}`}.`);
  }

  const app = await buildApp(ctx, { rateLimitPerMinute: config.rateLimitPerMinute, demoMerchantSlug: config.demo ? 'demo' : null, ...(config.lineJwksUrl ? { lineJwksUrl: config.lineJwksUrl } : {}) });
  const address = await app.listen({ port: config.port, host: config.host });
  scheduleOptimizedCodeRefreshes();
  const base = address.replace('0.0.0.0', '127.0.0.1');
  print(`Sentang is running on ${store.dialect.name} (${store.location})`);
  print(`  Dashboard     ${base}/   (staff sign-in)`);
  print(`  Cashier       ${base}/cashier`);
  print(`  Member portal ${base}/portal${config.demo ? '   (try it as the demo member)' : '   (members open it with a sign-in link)'}`);
  print(`  API docs      ${base}/docs`);
  print(`  OpenAPI       ${base}/openapi.json`);
  print(`  API           ${base}/api/v1   (Authorization: Bearer sk_…)`);
  print(`  Events        ${base}/v1/batch   (Segment HTTP API, write key as Basic user)`);
  print(`  Health        ${base}/healthz`);

  if (seedDemo) {
    // Ninety days of a café chain, made in the background so the server answers at once.
    const demoMerchantId = seedDemo;
    print('  Filling the demo merchant with 90 days of customers (a minute or so; the dashboard fills as it goes)…');
    void seedDemoData(ctx, demoMerchantId, { members: config.demoMembers })
      .then((summary) => ctx.logger.info(summary, 'demo data ready'))
      .catch((error: unknown) => ctx.logger.error({ err: error }, 'demo data failed'));
  }

  if (config.analyticsPreload) {
    // In the background and a page at a time, so requests are served meanwhile; a question that
    // arrives first simply shares the build.
    void (async () => {
      for (const merchant of await listMerchants(ctx)) {
        const startedAtMs = Date.now();
        const index = await ctx.analytics.current(merchant.id);
        ctx.logger.info({ merchantId: merchant.id, events: index.eventCount, people: index.personCount, ms: Date.now() - startedAtMs }, 'analytics index ready');
      }
    })().catch((error: unknown) => ctx.logger.error({ err: error }, 'analytics preload failed'));
  }

  const sweep = setInterval(() => {
    ctx.background.track(expirePoints(ctx), 'expiry sweep');
  }, config.expirySweepIntervalMs);
  sweep.unref();
  // Awards are applied right after each ingest; this catches any a stopped process left pending.
  const awardSweep = setInterval(() => {
    ctx.background.track(sweepAwards(ctx), 'award sweep');
  }, 5_000);
  awardSweep.unref();
  // Redemptions and refunds a crash left half done.
  const redemptionSweep = setInterval(() => {
    ctx.background.track(reconcileRedemptions(ctx), 'redemption sweep');
  }, 30_000);
  redemptionSweep.unref();
  // Downgrades happen only here, once the grace period has passed; upgrades happen at once elsewhere.
  const tierEvaluation = setInterval(() => {
    ctx.background.track((async () => {
      for (const merchant of await listMerchants(ctx)) await evaluateTiers(ctx, merchant.id);
    })(), 'tier evaluation');
  }, config.tierEvaluationIntervalMs);
  tierEvaluation.unref();
  const birthdays = setInterval(() => {
    ctx.background.track(awardBirthdays(ctx), 'birthday awards');
  }, 3_600_000);
  birthdays.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down: finishing requests in flight');
    clearInterval(sweep);
    clearInterval(awardSweep);
    clearInterval(redemptionSweep);
    clearInterval(tierEvaluation);
    clearInterval(birthdays);
    try {
      // Stop accepting and wait for requests in flight. A keep-alive connection that goes idle after
      // its last answer would hold the close open until its timeout, so idle ones are closed as they
      // appear; after shutdownGraceMs whatever is left is cut.
      const closing = app.close();
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => app.server.closeAllConnections(), shutdownGraceMs);
      await closing;
      clearInterval(reaper);
      clearTimeout(deadline);
      // Lets sweeps and the work that follows answered commands finish, commits what is queued,
      // stops the writer and checkpointer, closes the store.
      await services.stop();
      process.exit(0);
    } catch (error) {
      ctx.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
