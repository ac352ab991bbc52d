import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store';
import { api, runCli, startServerProcess, waitForExit } from './support/server-process';
import { createTestDatabase, storeKinds } from './support/stores';

function runCliAsync(args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/sentang.js', ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
}

describe('sentang --help', () => {
  it('documents every command', () => {
    const commands = [[], ['serve'], ['migrate'], ['merchants'], ['merchants', 'create'], ['merchants', 'list'], ['keys'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke'], ['ledger'], ['ledger', 'check'], ['staff'], ['staff', 'create'], ['demo']];
    for (const command of commands) {
      const result = runCli([...command, '--help'], {});
      expect(result.status, command.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: sentang');
    }
  });
});

for (const kind of storeKinds()) {
  describe(`sentang CLI [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    it('migrates twice, and from two processes at once', async () => {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      const env = { DATA_DIR: database.dataDir ?? '', DATABASE_URL: database.databaseUrl ?? '' };
      const codes = await Promise.all([runCliAsync(['migrate'], env), runCliAsync(['migrate'], env)]);
      expect(codes).toEqual([0, 0]);
      const again = runCli(['migrate'], env);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('up to date');
    });

    it('creates merchants and keys, lists and revokes keys, and a revoked key stops working', async () => {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      const env = { DATA_DIR: database.dataDir ?? '', DATABASE_URL: database.databaseUrl ?? '' };
      const created = runCli(['merchants', 'create', '--name', 'Kafe Ari', '--slug', 'kafe-ari'], env);
      expect(created.status).toBe(0);
      const merchantId = /Created merchant (mch_\w+)/.exec(created.stdout)?.[1] as string;
      const secret = /Secret key \(shown once, store it now\): (sk_\S+)/.exec(created.stdout)?.[1] as string;
      expect(merchantId).toBeTruthy();
      const write = runCli(['keys', 'create', '--merchant', merchantId, '--type', 'write', '--label', 'website'], env);
      expect(write.stdout).toMatch(/Key \(shown once, store it now\): wk_/);
      const list = runCli(['keys', 'list', '--merchant', merchantId], env);
      expect(list.stdout).toContain('website');
      expect(list.stdout).not.toContain(secret);
      const keyId = /^(key_\w+)\s+secret/m.exec(list.stdout)?.[1] as string;

      const server = await startServerProcess({ ...env, SENTANG_DEMO: '0' });
      const before = await fetch(`${server.baseUrl}/api/v1/merchant`, { headers: { authorization: `Bearer ${secret}` } });
      expect(before.status).toBe(200);
      expect(runCli(['keys', 'revoke', '--merchant', merchantId, '--key', keyId], env).status).toBe(0);
      // The server caches keys for a few seconds; a revocation from another process lands within that.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const after = await fetch(`${server.baseUrl}/api/v1/merchant`, { headers: { authorization: `Bearer ${secret}` } });
      expect(after.status).toBe(401);
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
      expect(runCli(['keys', 'revoke', '--merchant', merchantId, '--key', keyId], env).status).toBe(1);
    });

    it('creates the first owner, who can then sign in to the server', async () => {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      const env = { DATA_DIR: database.dataDir ?? '', DATABASE_URL: database.databaseUrl ?? '' };
      const merchantId = /Created merchant (mch_\w+)/.exec(runCli(['merchants', 'create', '--name', 'Kafe Ari'], env).stdout)?.[1] as string;
      const created = runCli(['staff', 'create', '--merchant', merchantId, '--email', 'ploy@kafe.example', '--name', 'Ploy'], env);
      expect(created.status, created.stderr).toBe(0);
      const password = /Password \(shown once\): (\S+)/.exec(created.stdout)?.[1] as string;
      expect(password.length).toBeGreaterThanOrEqual(16);
      const chosen = runCli(['staff', 'create', '--merchant', merchantId, '--email', 'nok@kafe.example', '--role', 'cashier'], { ...env, SENTANG_STAFF_PASSWORD: 'a chosen password' });
      expect(chosen.stdout).toContain('The password is the one in SENTANG_STAFF_PASSWORD.');
      expect(runCli(['staff', 'create', '--merchant', merchantId, '--email', 'ploy@kafe.example'], env).status).toBe(1);
      const server = await startServerProcess({ ...env, SENTANG_DEMO: '0' });
      const signIn = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ploy@kafe.example', password }) });
      expect(signIn.status).toBe(200);
      expect(((await signIn.json()) as { staff: { role: string } }).staff.role).toBe('owner');
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    });

    it('ledger check passes on a sound ledger and fails with a report on a broken one', async () => {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      const env = { DATA_DIR: database.dataDir ?? '', DATABASE_URL: database.databaseUrl ?? '' };
      const server = await startServerProcess(env);
      const memberId = (await api(server.baseUrl, 'POST', '/api/v1/members', {})).json.id;
      await api(server.baseUrl, 'POST', '/api/v1/points/earn', { memberId, points: 100, reason: 'x' });
      await api(server.baseUrl, 'POST', '/api/v1/points/spend', { memberId, points: 40, reason: 'x' });
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
      const sound = runCli(['ledger', 'check'], env);
      expect(sound.status).toBe(0);
      expect(sound.stdout).toContain('Ledger check passed');

      // Break it the way a buggy write would: a lot that no longer matches its entries.
      const store = await openStore({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR || undefined, migrate: false });
      await store.db.updateTable('point_lots').set({ points_remaining: 999 }).where('member_id', '=', memberId).execute();
      // And one that hides a lot's points from every balance: marked closed while it holds some.
      await store.db.updateTable('point_lots').set({ is_open: 0 }).where('member_id', '=', memberId).execute();
      await store.close();
      const broken = runCli(['ledger', 'check'], env);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toContain('lot_matches_entries');
      expect(broken.stdout).toContain('lot_open_mark');
      expect(broken.stdout).toContain('Ledger check FAILED');
    });
  });
}
