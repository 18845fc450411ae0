import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Chromium for the end-to-end tests: CHROMIUM_PATH, else Debian's, else Playwright's own download. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return undefined; // Playwright finds its own.
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one with `sudo apt-get install -y chromium` ' +
      '(Debian/Ubuntu) or `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium binary.',
  );
}

/** Without the networking flags Chromium floods a closed network with refused connections. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
