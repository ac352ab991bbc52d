// Debian's Chromium driven by playwright-core (never a browser download). Under CI=true a missing
// Chromium is an error; elsewhere the browser tests say clearly that they are skipped.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);

if (process.env.CI === 'true' && !hasChromium) throw new Error(`CI=true but ${chromiumPath} is missing: .ci/run installs Debian's chromium`);
if (!hasChromium) console.warn(`${chromiumPath} not found: SKIPPING the browser tests (apt-get install -y chromium)`);

/** `extraArgs` for what one test needs, e.g. a fake camera. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
}

/** The built web apps (`npm test` builds them first, in its pretest step). */
export const webBuilt = fs.existsSync(path.resolve('dist/web/index.html')) && fs.existsSync(path.resolve('dist/web/portal.html'));
if (process.env.CI === 'true' && !webBuilt) throw new Error('dist/web is missing: npm test builds it first (pretest)');

/**
 * `describe` with one Chromium shared by its tests; skipped without Chromium, or without a web
 * build when the tests open the web apps.
 */
export function describeInChromium(name: string, define: (browser: () => Browser) => void, options: { needsWebBuild?: boolean } = {}): void {
  describe.skipIf(!hasChromium || (options.needsWebBuild !== false && !webBuilt))(name, () => {
    let browser: Browser | undefined;
    beforeAll(async () => { browser = await launchBrowser(); });
    afterAll(async () => { await browser?.close(); });
    define(() => {
      if (!browser) throw new Error('Chromium did not start');
      return browser;
    });
  });
}
