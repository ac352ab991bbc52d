// The web apps at demo size: the dashboard's first load as a signed-in owner with the full demo
// data (BENCH_DEMO_MEMBERS, default 2,000 customers over 90 days, as `npm start` makes them) on
// localhost in Chromium, until all four charts are drawn; and the JavaScript the member portal sends,
// gzipped. Targets from issue 6: < 1 s and < 200 KB. Needs `npm run build:web` and /usr/bin/chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../src/http/app';
import { createServiceContext } from '../src/services/context';
import { seedDemoData } from '../src/services/demo/seed-demo-data';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { createStaff } from '../src/services/staff/manage-staff';
import { openStore } from '../src/store/open-store';
import { launchBrowser } from '../test/support/browser';
import { signInAsStaff } from '../test/support/staff-browser';
import { portalScriptBytesGzipped } from '../test/support/web-bundle';
import { machine, printTable, writeResult, type Row } from './support';

const demoMembers = Number(process.env.BENCH_DEMO_MEMBERS ?? 2000);
const loads = 5;
const charts = ['Customer journey (90 days)', 'Stage flows', 'Weekly purchase conversion', 'Top channels'];

export async function runWebBench(): Promise<void> {
  const webDir = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webDir, 'portal.html'))) throw new Error('Build the web apps first: npm run build:web');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-bench-web-'));
  const store = await openStore({ dataDir });
  const ctx = createServiceContext(store, { logger: pino({ level: 'warn' }) });
  const merchant = await createMerchant(ctx, { name: 'Demo Café Bangkok', slug: 'demo' });
  const seedStartedAtMs = Date.now();
  const summary = await seedDemoData(ctx, merchant.id, { members: demoMembers });
  console.log(`demo data: ${summary.members} members, ${summary.events} events in ${((Date.now() - seedStartedAtMs) / 1000).toFixed(1)} s`);
  await createStaff(ctx, merchant.id, { email: 'owner@bench.example', name: 'Owner', role: 'owner', password: 'bench owner password' });
  const app = await buildApp(ctx, { webDir });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  const timesMs: number[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const signIn = await context.newPage();
    await signInAsStaff(signIn, `${base}/`, 'owner@bench.example', 'bench owner password');
    await signIn.getByRole('heading', { name: 'Overview' }).waitFor();
    for (let load = 0; load < loads; load += 1) {
      // A fresh context each time with the session cookie only: nothing cached, as on a first visit.
      const fresh = await browser.newContext({ viewport: { width: 1280, height: 1000 }, storageState: await context.storageState() });
      const page = await fresh.newPage();
      const startedAtMs = Date.now();
      await page.goto(`${base}/`);
      for (const chart of charts) await page.getByRole('img', { name: chart }).locator('canvas').waitFor();
      timesMs.push(Date.now() - startedAtMs);
      await fresh.close();
    }
  } finally {
    await browser.close();
    await app.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)] as number;
  const portalKb = Math.round(portalScriptBytesGzipped(webDir) / 102.4) / 10;
  const rows: Row[] = [
    { name: `dashboard first load, ${summary.members} members (median of ${loads})`, value: medianMs, unit: 'ms', target: '< 1000 ms', pass: medianMs < 1000 },
    { name: 'dashboard first load, slowest', value: sorted[sorted.length - 1] as number, unit: 'ms', target: '', pass: true },
    { name: 'member portal JavaScript, gzipped', value: portalKb, unit: 'KB', target: '< 200 KB', pass: portalKb < 200 },
  ];
  printTable(`Web apps — ${machine()}`, rows);
  console.log(`  written to ${writeResult('web', { machine: machine(), members: summary.members, events: summary.events, loadsMs: timesMs, medianMs, portalKb })}`);
}
