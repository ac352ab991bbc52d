// startServices: the store and its threads as `sentang serve` runs them. Stopping must commit what
// was queued before it closes anything, and on SQLite commits must leave checkpoints to the
// checkpointer thread (a checkpoint inside a commit stalls every command behind it).
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMember } from '../src/services/members/create-member';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { earnPoints } from '../src/services/points/earn-points';
import { getBalance } from '../src/services/points/get-balance';
import { startServices, type RunningServices } from '../src/services/start-services';
import { getMemberTier, saveTierProgramFor } from '../src/services/tiers/manage-tier-program';
import { backgroundCheckpointSafetyPages, inlineCheckpointPages } from '../src/store/sqlite-driver';
import type { ScratchDatabase } from './support/scratch-database';
import { createTestDatabase, silentLogger, storeKinds } from './support/stores';

for (const kind of storeKinds()) {
  describe(`startServices [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    });

    async function scratch(): Promise<ScratchDatabase> {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      return database;
    }

    it('commits the commands queued when it stops, and closes the store after them', async () => {
      const database = await scratch();
      const first = await startServices({ ...database, logger: silentLogger });
      const merchant = await createMerchant(first.ctx, { name: 'Start services' });
      const member = await createMember(first.ctx, merchant.id, {});
      // Not awaited: they are still queued for the writer thread when stop() is called.
      const earns = Array.from({ length: 25 }, (_, index) => earnPoints(first.ctx, merchant.id, { memberId: member.id, points: 4, reason: `order ${index}` }));
      await first.stop();
      expect((await Promise.allSettled(earns)).map((earn) => earn.status)).toEqual(Array(25).fill('fulfilled'));
      await expect(sql`select 1`.execute(first.store.db)).rejects.toThrow();

      const second = await startServices({ ...database, logger: silentLogger });
      cleanups.push(() => second.stop());
      expect((await getBalance(second.ctx, merchant.id, member.id)).availablePoints).toBe(100);
    });

    it('lets the work that follows answered commands finish before it closes the store', async () => {
      const database = await scratch();
      const logged: { level: number; msg: string }[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
      const first = await startServices({ ...database, logger });
      const merchant = await createMerchant(first.ctx, { name: 'Start services, follow-ups' });
      await saveTierProgramFor(first.ctx, merchant.id, {
        basis: 'points_earned', windowMonths: 12, graceDays: 30,
        tiers: [
          { key: 'member', name: 'Member', threshold: 0, multiplierPercent: 100, benefits: '' },
          { key: 'silver', name: 'Silver', threshold: 100, multiplierPercent: 100, benefits: '' },
        ],
      });
      const members = await Promise.all(Array.from({ length: 20 }, () => createMember(first.ctx, merchant.id, {})));
      // Each earn is answered before its tier upgrade runs; stop() comes right after the answers.
      await Promise.all(members.map((member) => earnPoints(first.ctx, merchant.id, { memberId: member.id, points: 150, reason: 'first order' })));
      expect(first.ctx.background.pending).toBeGreaterThan(0);
      await first.stop();
      expect(first.ctx.background.pending).toBe(0);
      expect(logged).toEqual([]);

      const second = await startServices({ ...database, logger: silentLogger });
      cleanups.push(() => second.stop());
      const tiers = await Promise.all(members.map(async (member) => (await getMemberTier(second.ctx, merchant.id, member.id)).tier.key));
      expect(tiers).toEqual(Array(20).fill('silver'));
    });

    it('runs the ledger on the calling thread when asked, with the same results', async () => {
      const database = await scratch();
      const services = await startServices({ ...database, logger: silentLogger, ledgerWriterThread: false, sqliteCheckpointIntervalMs: 0 });
      cleanups.push(() => services.stop());
      const merchant = await createMerchant(services.ctx, { name: 'Start services, one thread' });
      const member = await createMember(services.ctx, merchant.id, {});
      await Promise.all([1, 2, 3].map((points) => earnPoints(services.ctx, merchant.id, { memberId: member.id, points, reason: `order ${points}` })));
      expect((await getBalance(services.ctx, merchant.id, member.id)).availablePoints).toBe(6);
    });

    if (kind === 'sqlite') {
      const autocheckpointPages = async (services: RunningServices) => {
        const result = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(services.store.db);
        return result.rows[0]?.wal_autocheckpoint;
      };

      it('leaves checkpoints to the checkpointer thread, unless its interval is 0', async () => {
        const background = await startServices({ ...(await scratch()), logger: silentLogger });
        cleanups.push(() => background.stop());
        expect(await autocheckpointPages(background)).toBe(backgroundCheckpointSafetyPages);
        const inline = await startServices({ ...(await scratch()), logger: silentLogger, sqliteCheckpointIntervalMs: 0 });
        cleanups.push(() => inline.stop());
        expect(await autocheckpointPages(inline)).toBe(inlineCheckpointPages);
      });
    }
  });
}
