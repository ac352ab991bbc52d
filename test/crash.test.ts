// An acknowledged write survives kill -9: clients earn and spend against a server process, the
// process is killed with SIGKILL mid-traffic, restarted on the same data, and every acknowledged
// operation must be there (and replay to the same transaction), with `sentang ledger check` passing.
import { afterAll, expect, it } from 'vitest';
import { api, runCli, startServerProcess, waitForExit, type ServerProcess } from './support/server-process';
import { createTestDatabase, storeKinds } from './support/stores';
import { describe } from 'vitest';

for (const kind of storeKinds()) {
  describe(`crash safety [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    it('keeps every acknowledged operation after SIGKILL and passes ledger check', async () => {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      const storeEnv = { DATA_DIR: database.dataDir ?? '', DATABASE_URL: database.databaseUrl ?? '' };
      let server: ServerProcess = await startServerProcess(storeEnv);
      cleanups.push(async () => { server.child.kill('SIGKILL'); });

      const members: string[] = [];
      for (let i = 0; i < 20; i += 1) members.push((await api(server.baseUrl, 'POST', '/api/v1/members', {})).json.id);
      const acknowledged: { key: string; body: unknown; path: string; transactionId: string }[] = [];
      let stop = false;
      let sequence = 0;
      const client = async (clientIndex: number) => {
        while (!stop) {
          const n = sequence++;
          const memberId = members[(clientIndex + n) % members.length] as string;
          const path = n % 3 === 2 ? '/api/v1/points/spend' : '/api/v1/points/earn';
          const body = { memberId, points: 1 + (n % 9), reason: `crash ${n}` };
          const key = `crash-${n}`;
          try {
            const response = await api(server.baseUrl, 'POST', path, body, { 'idempotency-key': key });
            if (response.status === 201) acknowledged.push({ key, body, path, transactionId: response.json.transaction.id });
          } catch {
            return; // the server is gone
          }
        }
      };
      const clients = Array.from({ length: 16 }, (_, i) => client(i));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      server.child.kill('SIGKILL');
      stop = true;
      await Promise.all(clients);
      await waitForExit(server.child);
      expect(acknowledged.length).toBeGreaterThan(50);

      server = await startServerProcess(storeEnv);
      for (const entry of acknowledged) {
        const stored = await api(server.baseUrl, 'GET', `/api/v1/points/transactions/${entry.transactionId}`);
        expect(stored.status, `acknowledged ${entry.key} lost`).toBe(200);
      }
      for (const entry of acknowledged.slice(0, 100)) {
        const replay = await api(server.baseUrl, 'POST', entry.path, entry.body, { 'idempotency-key': entry.key });
        expect(replay.json.transaction.id).toBe(entry.transactionId);
      }
      server.child.kill('SIGTERM');
      await waitForExit(server.child);

      const check = runCli(['ledger', 'check'], storeEnv);
      expect(check.stdout).toContain('Ledger check passed');
      expect(check.status).toBe(0);
    });
  });
}
