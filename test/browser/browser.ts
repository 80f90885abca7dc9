import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); no browser download works here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

export interface Browser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile, so no earlier run's storage leaks into a test. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cscx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1360, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    newPage: async () => {
      const page = await context.newPage();
      page.on('dialog', (dialog) => void dialog.accept()); // confirm() before rotations and replays
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Opens the app signed in (the token goes into this tab's sessionStorage, as the sign-in form does). */
export async function openSignedIn(page: Page, url: string, token: string, route: string): Promise<void> {
  await page.goto(`${url}/app/`);
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('.sidebar');
  await page.evaluate((hash) => (location.hash = hash), route);
}
