import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/http/app';
import { createServiceContext, type ServiceContext } from '../src/services/context';
import { createApiKey } from '../src/services/keys/create-api-key';
import { createMember } from '../src/services/members/create-member';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { openStore, type Store } from '../src/store/open-store';
import { expectLedgerConsistent } from './support/ledger-assertions';
import { createTestDatabase, silentLogger, storeKinds, type StoreKind } from './support/stores';

// When the database itself cannot take a write — a full disk, a read-only database, a server that
// went away — the client gets 503 `unavailable` with the reason, not a 500 that reads like a bug,
// and the same command sent again with its Idempotency-Key once the database is back is applied once.
for (const kind of storeKinds()) {
  describe(`a database that cannot take writes [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    });

    async function server(): Promise<{ ctx: ServiceContext; app: App; store: Store; databaseUrl?: string | undefined }> {
      const database = await createTestDatabase(kind as StoreKind);
      cleanups.push(() => database.drop());
      const store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
      cleanups.push(() => store.close());
      const ctx = createServiceContext(store, { logger: silentLogger });
      const app = await buildApp(ctx);
      cleanups.push(() => app.close());
      return { ctx, app, store, databaseUrl: database.databaseUrl };
    }

    /** Makes every later write fail the way a real outage would; returns how to undo it. */
    async function breakWrites(store: Store, databaseUrl: string | undefined): Promise<() => Promise<void>> {
      if (kind === 'sqlite') {
        // No page beyond those the file has: the next write that needs one fails with SQLITE_FULL.
        const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(store.db)).rows[0]?.page_count);
        await sql.raw(`pragma max_page_count = ${pages}`).execute(store.db);
        return async () => { await sql.raw('pragma max_page_count = 4294967294').execute(store.db); };
      }
      // The database turns read-only and every connection to it is cut; the pool's new ones are read-only.
      // Done from the server's maintenance database, since this one will not take the ALTER back.
      const name = new URL(databaseUrl as string).pathname.slice(1);
      const admin = async (statement: string) => {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
      };
      await admin(`alter database ${name} set default_transaction_read_only = on`);
      await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
      return async () => {
        await admin(`alter database ${name} reset default_transaction_read_only`);
        await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
      };
    }

    it('answers 503 unavailable with the reason, and the retried command is applied once when the database is back', async () => {
      const { ctx, app, store, databaseUrl } = await server();
      const merchant = await createMerchant(ctx, { name: `Outage ${randomBytes(3).toString('hex')}` });
      const key = await createApiKey(ctx, merchant.id, { kind: 'secret' });
      const member = await createMember(ctx, merchant.id, {});
      const earn = (idempotencyKey: string) => app.inject({
        method: 'POST', url: '/api/v1/points/earn',
        headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        payload: JSON.stringify({ memberId: member.id, points: 10, reason: `order ${idempotencyKey} `.padEnd(400, '.') }),
      });
      expect((await earn('before')).statusCode).toBe(201);

      const repair = await breakWrites(store, databaseUrl);
      let refused: Awaited<ReturnType<typeof earn>> | undefined;
      let refusedKey = '';
      const acknowledged: string[] = ['before'];
      // SQLite still fits a few rows into the pages it has; the first one that needs a new page fails.
      for (let attempt = 0; attempt < 500 && !refused; attempt += 1) {
        const response = await earn(`during-${attempt}`);
        if (response.statusCode === 201) acknowledged.push(`during-${attempt}`);
        else {
          refused = response;
          refusedKey = `during-${attempt}`;
        }
      }
      expect(refused?.statusCode, refused?.body).toBe(503);
      const error = refused?.json().error;
      expect(error.code).toBe('unavailable');
      expect(error.details.reason).toEqual(kind === 'sqlite' ? 'the disk is full' : expect.stringMatching(/read-only|connection|shutting down/));
      expect(error.message).toMatch(/^The database cannot take this now: .+\. Try again later/);
      // Not only the ledger: any write gets the same answer while it lasts.
      if (kind === 'postgres') {
        const memberCreate = await app.inject({ method: 'POST', url: '/api/v1/members', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' }, payload: '{}' });
        expect(memberCreate.statusCode).toBe(503);
        expect(memberCreate.json().error.code).toBe('unavailable');
      }

      await repair();
      // PostgreSQL: the pool may still hand out a connection or two that the repair cut.
      let retried = await earn(refusedKey);
      for (let attempt = 0; attempt < 5 && retried.statusCode === 503; attempt += 1) retried = await earn(refusedKey);
      expect(retried.statusCode).toBe(201);
      expect((await earn(refusedKey)).headers['idempotent-replayed']).toBe('true');
      const balance = await app.inject({ method: 'GET', url: `/api/v1/members/${member.id}/balance`, headers: { authorization: `Bearer ${key.secret}` } });
      expect(balance.json().availablePoints).toBe(10 * (acknowledged.length + 1));
      await expectLedgerConsistent(ctx, merchant.id);
    });
  });
}
