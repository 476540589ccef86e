/**
 * The web console in headless Chromium (Debian's, driven by playwright-core) against
 * the local stack serving it: sign in, the dashboard, launching wordpress-site with its
 * plan shown first (and a refused one), the run page live to Ready, terminate to Done, write-only secrets,
 * and an admin's view of everyone's runs. Screenshots go to test-results/console/;
 * with SLIPWAY_UPDATE_DOCS_SCREENSHOT=1 the run page at Ready also to docs/console.png
 * (the README's picture).
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser, createWordpressSite } from '#test/support/world';
import { CONSOLE_DIR, ensureConsoleBuilt, openBrowser, type ConsoleBrowser } from './support/browser';

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

let stack: LocalStack;
let api: ApiClient;
let alice: { id: string; key: string };
let browser: ConsoleBrowser;
let page: Page;

const shot = (name: string) => browser.shot(name);

beforeAll(async () => {
  await ensureConsoleBuilt();
  stack = await startLocalStack({ scheduleIntervalMs: 500, consoleDir: CONSOLE_DIR });
  api = apiClient(stack.apiUrl);
  alice = await createUser(api, stack.adminKey, 'alice');
  await createSimConnector(api, stack.adminKey, 'sim-eu');
  await createWordpressSite(api, alice.key, 'sim-eu');

  browser = await openBrowser();
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the web console', () => {
  it('refuses an unknown API key with the API’s own problem', async () => {
    await page.goto(`${stack.apiUrl}/`);

    await page.getByLabel('API key').fill('slw_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/The key was not accepted.*HTTP 401/);
  });

  it('signs a user in, keeping the key for the tab’s session only, and shows their dashboard', async () => {
    await page.getByLabel('API key').fill(alice.key);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await page.evaluate('sessionStorage.getItem("slipway.apiKey")')).toBe(alice.key);
    expect(await page.evaluate('localStorage.length + document.cookie.length')).toBe(0);
    const quota = page.getByRole('meter', { name: 'Quota of you on sim-eu' });
    await quota.waitFor();
    expect(await quota.getAttribute('aria-valuemax')).toBe('20');
    expect(await quota.getAttribute('aria-valuenow')).toBe('0');
    await shot('dashboard');
  });

  it('shows the plan before a launch: per node the connector, native image and chain, and the quota before and after', async () => {
    await page.getByRole('link', { name: 'Launch', exact: true }).click();
    await page.getByLabel('Deployment').selectOption('wordpress-site');
    await page.getByLabel('Connector', { exact: true }).selectOption('sim-eu');
    expect(await page.getByRole('button', { name: 'Launch run' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Show plan' }).click();

    const plan = page.getByRole('region', { name: 'Plan' });
    await plan
      .getByRole('status')
      .getByText(/^Launchable/)
      .waitFor();
    const nodes = plan.getByRole('table', { name: 'What the run would create' });
    expect(await nodes.getByRole('row', { name: /^db / }).getByRole('cell').allTextContents()).toEqual([
      '1',
      'sim-eu',
      'sim-ubuntu-22.04',
      'mysql v1 → ubuntu v1',
      'the cloud’s default',
      expect.stringMatching(/^cred_/),
    ]);
    expect(await nodes.getByRole('row', { name: /^web / }).getByRole('cell').first().textContent()).toBe('2');
    expect(
      await plan
        .getByRole('table', { name: 'Quota' })
        .getByRole('row', { name: /^sim-eu / })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['0', '3', '3', '20']);
    expect(await page.getByRole('button', { name: 'Launch run' }).isEnabled()).toBe(true);
    await shot('plan');
  });

  it('shows why a launch would be refused, and offers no launch then; planning launches nothing', async () => {
    await page.getByLabel('VMs of web').fill('30');
    await page.getByRole('button', { name: 'Show plan' }).click();

    const refusal = page.getByRole('region', { name: 'Plan' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('quota exceeded on sim-eu');
    expect(await page.getByRole('button', { name: 'Launch run' }).isDisabled()).toBe(true);
    await shot('plan-refused');
    expect((await api.get('/runs', alice.key)).body.items).toEqual([]);

    await page.getByLabel('VMs of web').fill('');
    await page.getByRole('button', { name: 'Show plan' }).click();
    await page
      .getByRole('region', { name: 'Plan' })
      .getByRole('status')
      .getByText(/^Launchable/)
      .waitFor();
  });

  it('launches the run and follows it live to Ready, with each instance’s state and address', async () => {
    await page.getByRole('button', { name: 'Launch run' }).click();

    await page.getByRole('heading', { name: /^Run run_/, level: 1 }).waitFor();
    const runId = page.url().split('/runs/')[1]!;
    await page.getByRole('status', { name: 'Run state: Ready' }).waitFor({ timeout: 60_000 });
    const run = (await api.get(`/runs/${runId}`, alice.key)).body;
    expect(run.state).toBe('Ready');
    for (const instance of run.instances as { name: string; ip: string }[]) {
      const cells = await page
        .getByRole('row', { name: new RegExp(`^${instance.name.replace('.', '\\.')} `) })
        .getByRole('cell')
        .allTextContents();
      expect(cells[0]).toBe('running');
      expect(cells[2]).toMatch(IPV4);
      expect(cells[2]).toBe(instance.ip);
    }
    const graph = page.getByRole('img', { name: /^Graph of wordpress-site/ });
    expect(await graph.getAttribute('aria-label')).toContain('db → web (db_host ← hostname)');
    expect(await graph.textContent()).toMatch(/web\.2\s+running/);
    const events = await page.getByRole('list', { name: 'Run events, oldest first' }).getByRole('listitem').allTextContents();
    expect(events.filter((text) => /→ (Provisioning|Executing|Ready)$/.test(text))).toHaveLength(3);
    const readyShot = await shot('run-ready');
    // The README's picture is a tracked file: refreshed on request only, so a test run leaves the tree clean.
    if (process.env.SLIPWAY_UPDATE_DOCS_SCREENSHOT === '1') await copyFile(readyShot, path.resolve('docs/console.png'));
  }, 90_000);

  it('terminates the run from its page and shows it Done, its quota released', async () => {
    const runId = page.url().split('/runs/')[1]!;

    await page.getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('group', { name: 'Confirm termination' }).getByRole('button', { name: 'Yes, terminate' }).click();

    await page.getByRole('status', { name: 'Run state: Done' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Terminate' }).count()).toBe(0);
    expect(await page.getByRole('list', { name: 'Run events, oldest first' }).textContent()).toContain('Finalizing → Done');
    expect((await api.get(`/runs/${runId}`, alice.key)).body.state).toBe('Done');
    expect((await api.get('/quotas', alice.key)).body.items).toEqual([expect.objectContaining({ connector: 'sim-eu', used: 0 })]);
    await shot('run-done');
  }, 90_000);

  it('takes cloud secrets in password fields and never shows them back', async () => {
    await createSimConnector(api, stack.adminKey, 'sim-us');
    await page.getByRole('link', { name: 'Credentials' }).click();

    await page.getByLabel('Connector').selectOption('sim-us');
    const secret = page.getByLabel('apiSecret', { exact: true });
    expect(await secret.getAttribute('type')).toBe('password');
    await page.getByLabel('apiKey', { exact: true }).fill('demo-key-value');
    await secret.fill('s3cret-never-shown');
    await page.getByRole('button', { name: 'Save credential' }).click();

    await page.getByRole('status').getByText('Credential for sim-us saved.').waitFor();
    const row = page.getByRole('row', { name: /^sim-us / });
    await row.waitFor();
    expect(await row.textContent()).toContain('apiKey, apiSecret');
    const html = await page.content();
    expect(html).not.toContain('s3cret-never-shown');
    expect(html).not.toContain('demo-key-value');
    await shot('credentials');
  });

  it('shows an admin the runs of every user', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByText('All users (admin)').waitFor();
    const done = page.getByRole('region', { name: 'Runs by state' }).getByRole('listitem').filter({ hasText: 'Done' });
    await done.waitFor();
    expect(await done.textContent()).toBe('Done 1');
    await page.getByRole('meter', { name: 'Quota of alice on sim-eu' }).waitFor();
    await shot('dashboard-admin');
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(browser.scriptErrors).toEqual([]);
  });
});
