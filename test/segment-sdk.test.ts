// Existing Segment SDKs work unchanged: @segment/analytics-node, pointed at a running Sentang,
// delivers track, identify and page calls.
import { Analytics } from '@segment/analytics-node';
import { afterAll, describe, expect, it } from 'vitest';
import { api, startServerProcess, waitForExit, type ServerProcess } from './support/server-process';
import { createTestDatabase, storeKinds } from './support/stores';

const writeKey = 'wk_sdk_test_0123456789abcdef';

for (const kind of storeKinds()) {
  describe(`@segment/analytics-node [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    it('delivers track, identify and page calls', async () => {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      const server: ServerProcess = await startServerProcess({
        DATA_DIR: database.dataDir ?? '', DATABASE_URL: database.databaseUrl ?? '', SENTANG_DEMO_WRITE_KEY: writeKey,
      });
      cleanups.push(async () => {
        server.child.kill('SIGTERM');
        await waitForExit(server.child);
      });
      const analytics = new Analytics({ writeKey, host: server.baseUrl, flushAt: 10, maxRetries: 2 });
      const errors: unknown[] = [];
      analytics.on('error', (error) => errors.push(error));
      analytics.identify({ userId: 'cust-1', traits: { phone: '0812345678', name: 'Somchai' } });
      analytics.track({ userId: 'cust-1', event: 'Order Completed', properties: { revenue: 350, currency: 'THB' } });
      analytics.page({ anonymousId: 'anon-7', name: 'Menu', properties: { path: '/menu' } });
      await analytics.closeAndFlush({ timeout: 10_000 });
      expect(errors).toEqual([]);

      const stored = (await api(server.baseUrl, 'GET', '/api/v1/events')).json.events.filter((event: { event: string | null }) => event.event !== 'Stage Entered');
      expect(stored.map((event: { type: string }) => event.type).sort()).toEqual(['identify', 'page', 'track']);
      expect(stored.find((event: { type: string }) => event.type === 'track')).toMatchObject({ event: 'Order Completed', userId: 'cust-1', properties: { revenue: 350 } });
      expect(stored.find((event: { type: string }) => event.type === 'identify').traits).toMatchObject({ name: 'Somchai' });
      expect(stored.every((event: { messageId: string }) => event.messageId.length > 0)).toBe(true);
    });
  });
}
