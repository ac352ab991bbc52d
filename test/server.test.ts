import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, startServerProcess, testSecretKey, waitForExit } from './support/server-process';

describe('sentang serve (npm start)', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-serve-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('creates the demo merchant on first start only, and prints the URLs', async () => {
    const env = { DATA_DIR: dataDir(), DATABASE_URL: '' };
    const first = await startServerProcess(env);
    expect(first.output()).toContain('Created the demo merchant');
    expect(first.output()).toMatch(/Its owner signs in as owner@demo\.sentang\.local with the password \(shown this once\) \S+/);
    expect(first.output()).toMatch(/API docs\s+http:\/\/127\.0\.0\.1:\d+\/docs/);
    expect(first.output()).toMatch(/OpenAPI\s+http:\/\/127\.0\.0\.1:\d+\/openapi\.json/);
    expect((await api(first.baseUrl, 'GET', '/api/v1/merchant')).json.slug).toBe('demo');
    first.child.kill('SIGTERM');
    await waitForExit(first.child);
    const second = await startServerProcess(env);
    expect(second.output()).not.toContain('Created the demo merchant');
    expect((await api(second.baseUrl, 'GET', '/api/v1/merchant')).status).toBe(200);
    second.child.kill('SIGTERM');
    await waitForExit(second.child);
  });

  it('builds the analytics index from the stored events in the background at start', async () => {
    const env = { DATA_DIR: dataDir(), DATABASE_URL: '', SENTANG_DEMO_WRITE_KEY: 'wk_test_preload_0123456789abcdef', LOG_LEVEL: 'info' };
    const first = await startServerProcess(env);
    const sent = await fetch(`${first.baseUrl}/v1/batch`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('wk_test_preload_0123456789abcdef:').toString('base64')}` },
      body: JSON.stringify({ batch: [{ type: 'track', event: 'Order Completed', anonymousId: 'x', timestamp: '2026-03-05T03:00:00Z' }] }),
    });
    expect(sent.status).toBe(200);
    first.child.kill('SIGTERM');
    await waitForExit(first.child);
    const second = await startServerProcess(env);
    for (let attempt = 0; attempt < 100 && !second.output().includes('analytics index ready'); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    const ready = second.output().split('\n').find((line) => line.includes('analytics index ready'));
    expect(ready && JSON.parse(ready)).toMatchObject({ events: 3, people: 1 }); // the order and two Stage Entered (awareness, purchase)
    const journey = await api(second.baseUrl, 'GET', '/api/v1/analytics/journey?from=2026-03-01&to=2026-03-31');
    expect(journey.json.entered).toBe(1);
    second.child.kill('SIGTERM');
    await waitForExit(second.child);
  });

  it('serves with V8 allocation-site pretenuring off (see src/cli/disable-allocation-site-pretenuring.ts)', async () => {
    // A 1 MiB young generation makes these few requests span many young-generation collections;
    // with pretenuring on, V8 reports weighing its literals at each of them.
    const server = await startServerProcess({ DATA_DIR: dataDir(), DATABASE_URL: '' }, { nodeArgs: ['--trace-pretenuring-statistics', '--max-semi-space-size=1'] });
    const startedAt = server.output().length;
    const member = await api(server.baseUrl, 'POST', '/api/v1/members', {});
    for (let i = 0; i < 20; i += 1) {
      const earns = await Promise.all(Array.from({ length: 10 }, () => api(server.baseUrl, 'POST', '/api/v1/points/earn', { memberId: member.json.id, points: 5, reason: 'visit' })));
      expect(earns.map((earn) => earn.status)).toEqual(Array(10).fill(201));
    }
    expect(server.output().slice(startedAt).split('\n').filter((line) => line.includes('pretenuring:'))).toEqual([]);
    server.child.kill('SIGTERM');
    await waitForExit(server.child);
  });

  it('prints a random demo key once when SENTANG_DEMO_KEY is not set', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir(), DATABASE_URL: '', SENTANG_DEMO_KEY: '' });
    const key = /Its secret key, shown this once: (sk_\S+)/.exec(server.output())?.[1];
    expect(key).toBeTruthy();
    expect(key).not.toBe(testSecretKey);
    const response = await fetch(`${server.baseUrl}/api/v1/merchant`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    server.child.kill('SIGTERM');
    await waitForExit(server.child);
  });

  it('finishes the requests in flight on SIGTERM, then exits 0', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir(), DATABASE_URL: '' });
    const memberId = (await api(server.baseUrl, 'POST', '/api/v1/members', {})).json.id;
    const inFlight = Array.from({ length: 50 }, (_, i) => api(server.baseUrl, 'POST', '/api/v1/points/earn', { memberId, points: 1, reason: `r${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 15));
    server.child.kill('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    await waitForExit(server.child);
    expect(server.child.exitCode).toBe(0);
    // Requests the server had accepted complete; ones that arrived after it stopped listening are refused, never half done.
    const completed = results.filter((r) => r.status === 'fulfilled' && r.value.status === 201).length;
    const restarted = await startServerProcess({ DATA_DIR: dirs[dirs.length - 1] as string, DATABASE_URL: '' });
    const balance = await api(restarted.baseUrl, 'GET', `/api/v1/members/${memberId}/balance`);
    // Exactly the acknowledged earns are in the ledger: none lost, none written without an answer.
    expect(balance.json.availablePoints).toBe(completed);
    expect(completed).toBeGreaterThan(0);
    restarted.child.kill('SIGTERM');
    await waitForExit(restarted.child);
  });
});
