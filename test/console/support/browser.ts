/**
 * Debian's Chromium, headless, driven by playwright-core (nothing here downloads a
 * browser), for the console's tests: one persistent context in a temporary profile,
 * its page's script errors and Content-Security-Policy violations collected, and
 * full-page screenshots into test-results/console/.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const CONSOLE_DIR = path.resolve('console/dist');
export const SHOTS = path.resolve('test-results/console');

export interface ConsoleBrowser {
  page: Page;
  /** Script errors and CSP violations seen so far. */
  scriptErrors: string[];
  /** A full-page screenshot `test-results/console/<name>.png`; returns its path. */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds the console if it was never built (npm test builds it first). */
export async function ensureConsoleBuilt(): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium); nothing here downloads a browser`);
  if (!existsSync(path.join(CONSOLE_DIR, 'index.html'))) await promisify(execFile)('npx', ['vite', 'build', '--config', 'console/vite.config.ts']);
  await mkdir(SHOTS, { recursive: true });
}

export async function openBrowser(): Promise<ConsoleBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'slipway-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Uncaught/.test(message.text())) scriptErrors.push(message.text());
  });
  return {
    page,
    scriptErrors,
    async shot(name) {
      const file = path.join(SHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
