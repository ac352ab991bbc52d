import { randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/http/app';
import { createServiceContext, type ServiceContext } from '../src/services/context';
import { createApiKey } from '../src/services/keys/create-api-key';
import { createMember } from '../src/services/members/create-member';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { getBalance } from '../src/services/points/get-balance';
import { startLedgerWriterThread } from '../src/services/points/start-ledger-writer-thread';
import { openStore, type Store } from '../src/store/open-store';
import { createTestDatabase, silentLogger, storeKinds } from './support/stores';
import type { ScratchDatabase } from './support/scratch-database';

// The server runs ledger batches in a writer thread. Should that thread ever stop, a request must
// not wait for it forever: it fails at once with 503, and /healthz says so, for a supervisor to
// restart the server.
for (const kind of storeKinds()) {
  describe(`the ledger writer thread [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    });

    async function serverWithWriterThread(): Promise<{ ctx: ServiceContext; app: App; store: Store; worker: Worker }> {
      const database: ScratchDatabase = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      const store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
      cleanups.push(() => store.close());
      let worker: Worker | undefined;
      const executor = await startLedgerWriterThread(store, { logger: silentLogger, onStarted: (started) => { worker = started; } });
      const ctx = createServiceContext(store, { logger: silentLogger, ledgerExecutor: executor });
      cleanups.push(() => ctx.ledger.close());
      const app = await buildApp(ctx);
      cleanups.push(() => app.close());
      if (!worker) throw new Error('the writer thread was not handed over');
      return { ctx, app, store, worker };
    }

    it('runs commands in the thread, and once it has stopped fails each one at once with 503 instead of hanging', async () => {
      const { ctx, app, worker } = await serverWithWriterThread();
      const merchant = await createMerchant(ctx, { name: `Writer ${randomBytes(3).toString('hex')}` });
      const key = await createApiKey(ctx, merchant.id, { kind: 'secret' });
      const member = await createMember(ctx, merchant.id, {});
      const earn = () => app.inject({
        method: 'POST', url: '/api/v1/points/earn', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ memberId: member.id, points: 40, reason: 'order 1' }),
      });
      expect((await earn()).statusCode).toBe(201);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok', store: kind });

      await worker.terminate();
      const refused = await earn();
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error.code).toBe('unavailable');
      expect(refused.json().error.message).toMatch(/ledger writer has stopped/);
      expect(refused.json().error.details).toEqual({ reason: 'the ledger writer thread stopped' });
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', store: kind });
      expect(ctx.ledger.failure()?.message).toMatch(/ledger writer has stopped/);
      // What was acknowledged before is still there, and reads go on.
      expect((await getBalance(ctx, merchant.id, member.id)).availablePoints).toBe(40);
    });

    it('answers every command in flight when the thread stops, 201 or 503, and leaves none waiting', async () => {
      const { ctx, app, worker } = await serverWithWriterThread();
      const merchant = await createMerchant(ctx, { name: `Writer ${randomBytes(3).toString('hex')}` });
      const key = await createApiKey(ctx, merchant.id, { kind: 'secret' });
      const member = await createMember(ctx, merchant.id, {});
      const inFlight = Array.from({ length: 40 }, (_, index) => app.inject({
        method: 'POST', url: '/api/v1/points/earn', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ memberId: member.id, points: 1, reason: `order ${index}` }),
      }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await worker.terminate();
      const statuses = (await Promise.all(inFlight)).map((response) => response.statusCode);
      expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);
      // Every acknowledged one was written; a 503 may have committed just before the thread stopped
      // (its answer lost with it), which is what sending it again with its Idempotency-Key is for.
      const availablePoints = (await getBalance(ctx, merchant.id, member.id)).availablePoints;
      expect(availablePoints).toBeGreaterThanOrEqual(statuses.filter((status) => status === 201).length);
      expect(availablePoints).toBeLessThanOrEqual(inFlight.length);
    });

    it('/healthz answers 503 with the reason when the store does not answer', async () => {
      const { app, store } = await serverWithWriterThread();
      await store.close();
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', store: kind });
      expect(health.json().reason).toMatch(/^the store does not answer: /);
    });
  });
}
