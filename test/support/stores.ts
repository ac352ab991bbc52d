// Runs one test definition against every store: SQLite always, PostgreSQL when DATABASE_URL is set
// (and always under CI=true, where a missing DATABASE_URL is an error, never a skip).
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp, type App } from '../../src/http/app';
import { createServiceContext, type ServiceContext, type ServiceContextOptions } from '../../src/services/context';
import { createApiKey } from '../../src/services/keys/create-api-key';
import { createMerchant } from '../../src/services/merchants/create-merchant';
import { migrateTo } from '../../src/store/migrate';
import { openStore, type Store } from '../../src/store/open-store';
import { scratchPostgres, scratchSqlite, type ScratchDatabase } from './scratch-database';

export type StoreKind = 'sqlite' | 'postgres';

const databaseUrl = process.env.DATABASE_URL;
if (process.env.CI === 'true' && !databaseUrl) {
  throw new Error('CI=true but DATABASE_URL is not set: the PostgreSQL suite must run in CI');
}
let warned = false;

export function storeKinds(): StoreKind[] {
  if (!databaseUrl && !warned) {
    warned = true;
    console.warn('DATABASE_URL is not set: SKIPPING the PostgreSQL runs of the store tests (SQLite only).');
  }
  return databaseUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty database of the kind: a temp directory for SQLite, a new database on PostgreSQL. */
export async function createTestDatabase(kind: StoreKind): Promise<ScratchDatabase> {
  return kind === 'sqlite' ? scratchSqlite() : scratchPostgres(databaseUrl as string, 'sentang_test');
}

/** A store on a fresh database whose schema is at `migration` (for tests of the migrations after it); close() drops the database. */
export async function openStoreAt(kind: StoreKind, migration: string): Promise<{ store: Store; close(): Promise<void> }> {
  const database = await createTestDatabase(kind);
  const store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, migrate: false });
  await migrateTo(store.db, migration);
  return {
    store,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

export class TestClock {
  /** null follows the real clock. */
  private fixedMs: number | null = null;
  nowMs = (): number => this.fixedMs ?? Date.now();
  set(ms: number | string): void {
    this.fixedMs = typeof ms === 'string' ? Date.parse(ms) : ms;
  }
  advance(ms: number): void {
    this.fixedMs = this.nowMs() + ms;
  }
}

export interface TestEnv {
  kind: StoreKind;
  store: Store;
  ctx: ServiceContext;
  app: App;
  clock: TestClock;
  /** A new merchant with a secret key, so each test has its own tenant. */
  newMerchant(): Promise<TestMerchant>;
  /** Another context and app on the same database: a second server process, as far as locks go. */
  secondServer(options?: ServiceContextOptions): Promise<{ ctx: ServiceContext; app: App; store: Store; close(): Promise<void> }>;
}

export interface TestMerchant {
  merchantId: string;
  key: string;
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ statusCode: number; json: any; headers: Record<string, unknown> }>;
}

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function merchantClient(app: App, merchantId: string, key: string): TestMerchant {
  return {
    merchantId,
    key,
    async request(method, url, body, headers = {}) {
      const response = await app.inject({
        method, url,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { statusCode: response.statusCode, json: response.body ? JSON.parse(response.body) : null, headers: response.headers };
    },
  };
}

/**
 * `describe` once per store kind. Each file gets its own database per kind; tests isolate
 * themselves by creating their own merchant.
 */
export function describeEachStore(name: string, define: (env: () => TestEnv) => void, options: ServiceContextOptions & { rateLimitPerMinute?: number; demoMerchantSlug?: string; lineJwksUrl?: string } = {}): void {
  for (const kind of storeKinds()) {
    describe(`${name} [${kind}]`, () => {
      let env: TestEnv | undefined;
      let database: Awaited<ReturnType<typeof createTestDatabase>>;
      const extra: (() => Promise<void>)[] = [];
      beforeAll(async () => {
        database = await createTestDatabase(kind);
        const clock = new TestClock();
        const store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
        const ctx = createServiceContext(store, { logger: silentLogger, nowMs: clock.nowMs, ...options });
        const app = await buildApp(ctx, { rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000, demoMerchantSlug: options.demoMerchantSlug ?? null, ...(options.lineJwksUrl ? { lineJwksUrl: options.lineJwksUrl } : {}) });
        env = {
          kind, store, ctx, app, clock,
          async newMerchant() {
            const merchant = await createMerchant(ctx, { name: `Test ${randomBytes(3).toString('hex')}` });
            const key = await createApiKey(ctx, merchant.id, { kind: 'secret' });
            return merchantClient(app, merchant.id, key.secret);
          },
          async secondServer(serverOptions = {}) {
            const secondStore = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, migrate: false });
            const secondCtx = createServiceContext(secondStore, { logger: silentLogger, nowMs: clock.nowMs, ...serverOptions });
            const secondApp = await buildApp(secondCtx, { rateLimitPerMinute: 1_000_000 });
            const close = async () => { await secondApp.close(); await secondCtx.background.finish(); await secondStore.close(); };
            extra.push(close);
            return { ctx: secondCtx, app: secondApp, store: secondStore, close };
          },
        };
      });
      afterAll(async () => {
        for (const close of extra) await close().catch(() => undefined);
        await env?.app.close();
        await env?.ctx.background.finish();
        await env?.store.close();
        await database?.drop();
      });
      define(() => {
        if (!env) throw new Error('test environment not ready');
        return env;
      });
    });
  }
}
