import { Pool } from 'undici';
const pool = new Pool(process.env.URL!, { connections: 64 });
const key = 'sk_bench_0123456789abcdefghijklmnop';
const call = async (p: string, b?: unknown) => { const r = await pool.request({ path: p, method: b ? 'POST' : 'GET', body: b ? JSON.stringify(b) : undefined, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }); return JSON.parse(await r.body.text()); };
async function run(label: string, f: () => Promise<unknown>) {
  let n = 0; const t0 = performance.now(); const end = t0 + 3000;
  await Promise.all(Array.from({ length: 64 }, async () => { while (performance.now() < end) { await f(); n++; } }));
  console.log(label.padEnd(20), Math.round(n / ((performance.now() - t0) / 1000)));
}
await run('healthz', () => call('/healthz'));
await run('merchant GET', () => call('/api/v1/merchant'));
await run('earn 400', () => call('/api/v1/points/earn', { memberId: 'x', points: -1, reason: 'x' }));
await run('earn 404', () => call('/api/v1/points/earn', { memberId: 'mbr_x', points: 1, reason: 'x' }));
await pool.close();
