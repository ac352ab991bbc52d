// Debian's Chromium driven by playwright-core (never a browser download). Under CI=true a missing
// Chromium is an error; elsewhere the browser tests say clearly that they are skipped.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
