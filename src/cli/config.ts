// Configuration comes from the environment, with defaults that let `npm start` run with nothing set.
import { defaultSqliteCheckpointIntervalMs } from '../services/start-services';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoKey: string | undefined;
  demoWriteKey: string | undefined;
  demo: boolean;
  rateLimitPerMinute: number;
  expirySweepIntervalMs: number;
  ledgerWriterThread: boolean;
  /** SQLite: how often the checkpointer thread copies the WAL into the database file; 0 leaves it to the commits. */
  sqliteCheckpointIntervalMs: number;
  tierEvaluationIntervalMs: number;
  /** Build every merchant's analytics index in the background at start, so the first question does not wait. */
  analyticsPreload: boolean;
  /** The demo owner's password (owner@demo.sentang.local); random and printed once when unset. */
  demoPassword: string | undefined;
  /** Fill the demo merchant with 90 days of customers at first start. */
  demoData: boolean;
  demoMembers: number;
  /** LINE's ID-token signing keys (JWKS), for members signing in through a merchant's LIFF app. */
  lineJwksUrl: string | undefined;
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

export function readConfig(): Config {
  return {
    port: integer('PORT', 3000),
    host: process.env.HOST ?? '127.0.0.1',
    dataDir: process.env.DATA_DIR ?? './data',
    databaseUrl: process.env.DATABASE_URL || undefined,
    demoKey: process.env.SENTANG_DEMO_KEY || undefined,
    demoWriteKey: process.env.SENTANG_DEMO_WRITE_KEY || undefined,
    demoPassword: process.env.SENTANG_DEMO_PASSWORD || undefined,
    demoData: process.env.SENTANG_DEMO_DATA !== '0',
    demoMembers: integer('SENTANG_DEMO_MEMBERS', 2000),
    demo: process.env.SENTANG_DEMO !== '0',
    rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 60_000),
    expirySweepIntervalMs: integer('EXPIRY_SWEEP_SECONDS', 60) * 1000,
    ledgerWriterThread: process.env.SENTANG_LEDGER_THREAD !== '0',
    // Once a second: the hot index pages a group commit touches are rewritten many times a second,
    // and a checkpoint copies each page once however often it changed. Every 100 ms it copied
    // nearly every frame (~35 us of CPU per ledger operation, on two cores shared with the writer);
    // every 1,000 ms ~9 us. Ledger over HTTP, four alternating pairs: 4,845/5,334/4,861/4,971 ->
    // 6,536/5,495/4,913/5,958 ops/s, p99 no worse; ingestion unchanged. The WAL then holds up to
    // about a second of commits (~180 MB at 10,000 ledger operations/s) before it starts over.
    sqliteCheckpointIntervalMs: integer('SQLITE_CHECKPOINT_MS', defaultSqliteCheckpointIntervalMs),
    tierEvaluationIntervalMs: integer('TIER_EVALUATION_HOURS', 24) * 3_600_000,
    analyticsPreload: process.env.ANALYTICS_PRELOAD !== '0',
    lineJwksUrl: process.env.LINE_JWKS_URL || undefined,
  };
}
