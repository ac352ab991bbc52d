// The CLI's administrative commands: each opens the store, calls one service, prints, closes.
import { randomBytes } from 'node:crypto';
import type { StaffRole } from '../../domain/staff/roles';
import { createStaff } from '../../services/staff/manage-staff';
import { seedDemoData } from '../../services/demo/seed-demo-data';
import { findMerchantBySlug } from '../../store/merchant-store';
import { isDomainError } from '../../domain/errors';
import { createServiceContext, type ServiceContext } from '../../services/context';
import { createApiKey } from '../../services/keys/create-api-key';
import { listApiKeys } from '../../services/keys/list-api-keys';
import { revokeApiKey } from '../../services/keys/revoke-api-key';
import { createMerchant } from '../../services/merchants/create-merchant';
import { listMerchants } from '../../services/merchants/get-merchant';
import { checkLedger } from '../../services/points/check-ledger';
import { migrateToLatest } from '../../store/migrate';
import { openStore } from '../../store/open-store';
import type { Config } from '../config';
import { pino } from 'pino';

async function withContext<T>(config: Config, run: (ctx: ServiceContext) => Promise<T>, migrate = true): Promise<T> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate });
  const ctx = createServiceContext(store, { logger: pino({ level: 'warn' }) });
  try {
    return await run(ctx);
  } catch (error) {
    if (isDomainError(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
      return undefined as T;
    }
    throw error;
  } finally {
    await store.close();
  }
}

export async function migrateCommand(config: Config): Promise<void> {
  await withContext(config, async (ctx) => {
    const result = await migrateToLatest(ctx.store.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The schema is up to date.\n');
  }, false);
}

export async function createMerchantCommand(config: Config, options: { name: string; slug?: string; timeZone?: string; currency?: string; withKey?: boolean }): Promise<void> {
  await withContext(config, async (ctx) => {
    const merchant = await createMerchant(ctx, options);
    process.stdout.write(`Created merchant ${merchant.id} (${merchant.slug}), time zone ${merchant.timeZone}\n`);
    if (options.withKey !== false) {
      const key = await createApiKey(ctx, merchant.id, { kind: 'secret', label: 'initial' });
      process.stdout.write(`Secret key (shown once, store it now): ${key.secret}\n`);
    }
  });
}

export async function listMerchantsCommand(config: Config): Promise<void> {
  await withContext(config, async (ctx) => {
    for (const merchant of await listMerchants(ctx)) process.stdout.write(`${merchant.id}  ${merchant.slug}  ${merchant.name}  ${merchant.timeZone}\n`);
  });
}

export async function createKeyCommand(config: Config, options: { merchant: string; type: 'secret' | 'write'; label?: string }): Promise<void> {
  await withContext(config, async (ctx) => {
    const key = await createApiKey(ctx, options.merchant, { kind: options.type, label: options.label });
    process.stdout.write(`Created ${key.kind} key ${key.id}\nKey (shown once, store it now): ${key.secret}\n`);
  });
}

export async function listKeysCommand(config: Config, options: { merchant: string }): Promise<void> {
  await withContext(config, async (ctx) => {
    const keys = await listApiKeys(ctx, options.merchant);
    if (keys.length === 0) process.stdout.write('No keys.\n');
    for (const key of keys) {
      process.stdout.write(`${key.id}  ${key.kind.padEnd(6)}  ${key.prefix.padEnd(9)}  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}  ${key.label}\n`);
    }
  });
}

export async function revokeKeyCommand(config: Config, options: { merchant: string; key: string }): Promise<void> {
  await withContext(config, async (ctx) => {
    await revokeApiKey(ctx, options.merchant, options.key);
    process.stdout.write(`Revoked ${options.key}\n`);
  });
}

/** Exit code 1 and a report of each broken invariant when any is broken. */
export async function ledgerCheckCommand(config: Config, options: { merchant?: string }): Promise<void> {
  await withContext(config, async (ctx) => {
    const reports = await checkLedger(ctx, options.merchant);
    let broken = 0;
    for (const report of reports) {
      const verdict = report.violations.length === 0 ? 'ok' : `${report.violations.length} violation(s)`;
      process.stdout.write(`${report.merchantId}: ${report.transactionsChecked} transactions, ${report.lotsChecked} lots: ${verdict}\n`);
      for (const violation of report.violations) {
        process.stdout.write(`  ${violation.invariant}  ${violation.subject}  ${violation.detail}\n`);
      }
      broken += report.violations.length;
    }
    if (broken > 0) {
      process.stdout.write(`Ledger check FAILED: ${broken} violation(s)\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write('Ledger check passed: every invariant holds.\n');
    }
  });
}

export async function createStaffCommand(config: Config, options: { merchant: string; email: string; name: string; role: StaffRole }): Promise<void> {
  await withContext(config, async (ctx) => {
    const given = process.env.SENTANG_STAFF_PASSWORD;
    const password = given || randomBytes(12).toString('base64url');
    const staff = await createStaff(ctx, options.merchant, { email: options.email, name: options.name, role: options.role, password });
    process.stdout.write(`Created ${staff.role} ${staff.email} (${staff.id})\n${given ? 'The password is the one in SENTANG_STAFF_PASSWORD.' : `Password (shown once): ${password}`}\n`);
  });
}

export async function demoCommand(config: Config, options: { merchant?: string; members: string }): Promise<void> {
  await withContext(config, async (ctx) => {
    const merchantId = options.merchant ?? (await findMerchantBySlug(ctx.store.db, 'demo'))?.id;
    if (!merchantId) throw new Error('No demo merchant: start the server once (npm start) or pass --merchant');
    const startedAtMs = Date.now();
    const summary = await seedDemoData(ctx, merchantId, { members: Number(options.members) });
    process.stdout.write(`Demo data for ${merchantId} in ${Math.round((Date.now() - startedAtMs) / 1000)} s: ${summary.members} members, ${summary.events} events, ${summary.referrals} referrals, ${summary.shareClicks} share clicks, ${summary.ugc} reviews, ${summary.redemptions} redemptions\n`);
  });
}
