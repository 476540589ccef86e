/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */
/**
 * Scaling, migrating and image builds in the web console (headless Chromium against the
 * local stack): a scale the quota refuses shows the API's problem and changes nothing, a
 * scale within it reaches the API's instances; a migration's plan shows both runs' quota,
 * then the new run's page links back to the old one, which ends Done linking forward; a build
 * chosen on the image page reaches Succeeded on its page with its steps and the image's new
 * version, one the API refuses shows why, and a slow one is cancelled from its page.
 * Screenshots go to test-results/console/ (scale-*, migrate-*, build-*).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser, createWordpressSite } from '#test/support/world';
import { CONSOLE_DIR, ensureConsoleBuilt, openBrowser, type ConsoleBrowser } from './support/browser';

let stack: LocalStack;
let api: ApiClient;
let browser: ConsoleBrowser;
let page: Page;
let alice: { id: string; key: string };
let oldRunId: string;
let newRunId: string;
const secrets = { apiKey: 'demo', apiSecret: 'not-a-real-secret' };

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

/** Waits until `check` holds (polled every 250 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const liveOf = (run: any, node: string) =>
  (run.instances as { node: string; name: string; state: string }[]).filter((i) => i.node === node && i.state !== 'terminated');
const quotaUsed = async (connector: string) =>
  ((await must(api.get('/quotas', alice.key))).items as { connector: string; used: number }[]).find((q) => q.connector === connector)?.used;

beforeAll(async () => {
  await ensureConsoleBuilt();
  stack = await startLocalStack({ scheduleIntervalMs: 500, consoleDir: CONSOLE_DIR });
  api = apiClient(stack.apiUrl);
  alice = await createUser(api, stack.adminKey, 'alice');
  await createSimConnector(api, stack.adminKey, 'sim-eu');
  await createSimConnector(api, stack.adminKey, 'sim-us');
  await createSimConnector(api, stack.adminKey, 'sim-slow', { bootSeconds: 8 });
  await createWordpressSite(api, alice.key, 'sim-eu');
  // Ubuntu on sim-us too, so the run can migrate there (and mysql has no parent image on sim-slow to build from).
  await must(
    api.put('/images/ubuntu', alice.key, { name: 'ubuntu', version: 1, cloudImageIds: { 'sim-eu': 'sim-ubuntu-22.04', 'sim-us': 'sim-ubuntu-22.04' } }),
  );
  for (const connector of ['sim-us', 'sim-slow']) await must(api.post('/credentials', alice.key, { connector, secrets }));
  await must(api.put(`/quotas/${alice.id}/sim-eu`, stack.adminKey, { maxVms: 4 }));
  await must(api.post('/images', alice.key, { name: 'base', cloudImageIds: { 'sim-slow': 'sim-ubuntu-24.04' } }));
  await must(api.post('/images', alice.key, { name: 'tool', parent: 'base', recipe: 'apt-get install -y tool' }));
  const run = await must(api.post('/runs', alice.key, { deployment: 'wordpress-site', connector: 'sim-eu' }));
  oldRunId = run.id;
  expect((await api.waitForRun(run.id, alice.key, ['Ready', 'Aborted'], 60_000)).state).toBe('Ready');

  browser = await openBrowser();
  page = browser.page;
  await page.goto(`${stack.apiUrl}/`);
  await page.getByLabel('API key').fill(alice.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('scaling a Ready run from its page', () => {
  const webRow = () => page.getByRole('table', { name: 'Instances per node' }).getByRole('row', { name: /^web / });

  it('shows the quota refusal as the API states it, and nothing changes', async () => {
    await page.goto(`${stack.apiUrl}/runs/${oldRunId}`);
    await page.getByRole('status', { name: 'Run state: Ready' }).waitFor();
    expect(await webRow().getByRole('cell').first().textContent()).toBe('2');
    const before = await must(api.get(`/runs/${oldRunId}`, alice.key));

    await page.getByLabel('Instances of web').fill('5');
    await page.getByRole('button', { name: 'Scale web' }).click();

    const alert = webRow().getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Scaling web was refused.*HTTP 409.*quota exceeded on sim-eu/);
    await browser.shot('scale-refused');
    const after = await must(api.get(`/runs/${oldRunId}`, alice.key));
    expect(after).toMatchObject({ state: 'Ready', version: before.version });
    expect(liveOf(after, 'web')).toHaveLength(2);
    expect(await quotaUsed('sim-eu')).toBe(3);
  });

  it('scales web to 3 within the quota: the page follows it back to Ready and the API has the third instance', async () => {
    await page.getByLabel('Instances of web').fill('3');
    await page.getByRole('button', { name: 'Scale web' }).click();

    await until('the page to show web with 3 instances, Ready', async () => {
      if (!(await page.getByRole('status', { name: 'Run state: Ready' }).isVisible())) return false;
      return (await webRow().getByRole('cell').first().textContent()) === '3';
    });
    expect(await page.getByRole('alert').count()).toBe(0);
    const run = await must(api.get(`/runs/${oldRunId}`, alice.key));
    expect(run.state).toBe('Ready');
    expect(
      liveOf(run, 'web')
        .map((i) => i.name)
        .sort(),
    ).toEqual(['web.1', 'web.2', 'web.3']);
    expect(await page.getByRole('row', { name: /^web\.3 / }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Run events, oldest first' }).textContent()).toContain('Scaling');
    expect(await quotaUsed('sim-eu')).toBe(4);
    // The graph shows the run's count now, not the deployment's.
    expect(await page.locator('.node-meta', { hasText: 'wordpress' }).textContent()).toMatch(/× 3$/);
    await browser.shot('scale-done');
  }, 90_000);
});

describe('migrating a Ready run from its page', () => {
  it('shows the plan first: the new run on sim-us, the old run’s VMs held on sim-eu meanwhile', async () => {
    await page.getByLabel('Target connector').selectOption('sim-us');
    await page.getByRole('button', { name: 'Show plan' }).click();

    const plan = page.getByRole('region', { name: 'Migration plan' });
    await plan.waitFor();
    expect(await plan.getByRole('status').or(plan.getByRole('alert')).textContent()).toMatch(/^Launchable/);
    const nodes = plan.getByRole('table', { name: 'What the run would create' });
    expect(await nodes.getByRole('row', { name: /^web / }).getByRole('cell').nth(1).textContent()).toBe('sim-us');
    expect(await nodes.getByRole('row', { name: /^web / }).getByRole('cell').first().textContent()).toBe('3');
    const quota = plan.getByRole('table', { name: 'Quota' });
    // In use now, held by the run migrated from, needs, after, quota.
    expect(
      await quota
        .getByRole('row', { name: /^sim-us / })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['0', '0', '4', '4', '20']);
    expect(
      await quota
        .getByRole('row', { name: /^sim-eu / })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['4', '4', '0', '4', '4']);
    expect((await must(api.get('/runs', alice.key))).items).toHaveLength(1); // planning starts nothing
    await browser.shot('migrate-plan');
  });

  it('migrates: the new run’s page links back, the old run ends Done linking forward', async () => {
    await page.getByRole('button', { name: 'Migrate to sim-us' }).click();

    await page.waitForURL((url) => url.pathname.startsWith('/runs/') && !url.pathname.endsWith(oldRunId));
    newRunId = page.url().split('/runs/')[1]!;
    await page.getByRole('heading', { name: `Run ${newRunId}`, level: 1 }).waitFor();
    const back = page.getByRole('link', { name: oldRunId });
    expect(await back.getAttribute('href')).toBe(`/runs/${oldRunId}`);
    await page.getByRole('status', { name: 'Run state: Ready' }).waitFor({ timeout: 60_000 });
    expect(await must(api.get(`/runs/${newRunId}`, alice.key))).toMatchObject({ state: 'Ready', migratedFrom: oldRunId });

    await back.click();
    await page.getByRole('heading', { name: `Run ${oldRunId}`, level: 1 }).waitFor();
    await page.getByRole('status', { name: 'Run state: Done' }).waitFor({ timeout: 60_000 });
    const forward = page.getByRole('link', { name: newRunId });
    await forward.waitFor();
    expect(await forward.getAttribute('href')).toBe(`/runs/${newRunId}`);
    expect(await page.getByRole('heading', { name: 'Scale', exact: true }).count()).toBe(0); // no Scale or Migrate on a run that is not Ready
    expect(await must(api.get(`/runs/${oldRunId}`, alice.key))).toMatchObject({ state: 'Done', migratedTo: newRunId });
    expect(await quotaUsed('sim-eu')).toBe(0);
    expect(await quotaUsed('sim-us')).toBe(4);
    await browser.shot('migrate-done');
  }, 150_000);
});

describe('image builds', () => {
  let buildId: string;

  it('shows why the API refuses a build (no native parent image on that cloud)', async () => {
    await page.getByRole('link', { name: 'Images', exact: true }).click();
    await page.getByRole('link', { name: 'mysql', exact: true }).click();
    await page.getByRole('heading', { name: 'Image mysql', level: 1 }).waitFor();
    await page.getByText('No build of this image yet.').waitFor();

    await page.getByRole('checkbox', { name: /^sim-slow/ }).check();
    await page.getByRole('button', { name: 'Build', exact: true }).click();

    const alert = page.getByRole('form', { name: 'Build the image' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/The build was refused.*HTTP 409/);
    expect((await must(api.get('/builds', alice.key))).items).toEqual([]);
  });

  it('builds mysql on sim-eu: listed with its state, its page follows it to Succeeded with its steps and the new version', async () => {
    await page.getByRole('checkbox', { name: /^sim-slow/ }).uncheck();
    await page.getByRole('checkbox', { name: /^sim-eu/ }).check();
    await page.getByRole('button', { name: 'Build', exact: true }).click();

    const builds = page.getByRole('table', { name: 'Builds of mysql, newest first' });
    const row = builds.getByRole('row', { name: /^bld_/ });
    await row.waitFor();
    expect(await row.getByRole('cell').first().textContent()).toBe('sim-eu');
    buildId = (await row.getByRole('link').textContent())!;
    expect((await must(api.get(`/builds?image=mysql`, alice.key))).items.map((b: any) => b.id)).toEqual([buildId]);

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Build ${buildId}`, level: 1 }).waitFor();
    await page.getByRole('status', { name: 'Build state: Succeeded' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Cancel build' }).count()).toBe(0);
    const progress = page.getByRole('list', { name: 'Build progress' });
    expect(await progress.locator('[aria-current="step"]').textContent()).toMatch(/^Succeeded/);
    const steps = await page.getByRole('list', { name: 'Build steps, oldest first' }).getByRole('listitem').allTextContents();
    for (const state of ['Pending', 'Launching', 'Running', 'Snapshotting', 'Succeeded']) expect(steps.some((s) => s.includes(state))).toBe(true);

    const build = await must(api.get(`/builds/${buildId}`, alice.key));
    expect(build).toMatchObject({ state: 'Succeeded', newImageVersion: 2 });
    expect(await page.getByText(build.builtImageId, { exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'mysql v2' }).count()).toBe(1);
    const image = await must(api.get('/images/mysql', alice.key));
    expect(image).toMatchObject({ version: 2, cloudImageIds: { 'sim-eu': build.builtImageId } });
    await browser.shot('build-succeeded');

    await page.getByRole('link', { name: 'mysql', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Image mysql', level: 1 }).waitFor();
    const listed = page.getByRole('table', { name: 'Builds of mysql, newest first' }).getByRole('row', { name: new RegExp(`^${buildId} `) });
    await listed.waitFor();
    expect(await listed.getByRole('cell').allTextContents()).toEqual(['sim-eu', 'Succeeded', '1', '2', expect.any(String)]);
  }, 90_000);

  it('cancels a running build from its page: it ends Cancelled, the image unchanged', async () => {
    await page.getByRole('link', { name: 'Images', exact: true }).click();
    await page.getByRole('link', { name: 'tool', exact: true }).click();
    await page.getByRole('heading', { name: 'Image tool', level: 1 }).waitFor();
    await page.getByRole('checkbox', { name: /^sim-slow/ }).check();
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    const link = page.getByRole('table', { name: 'Builds of tool, newest first' }).getByRole('link', { name: /^bld_/ });
    await link.waitFor();
    const id = (await link.textContent())!;
    await link.click();
    await page.getByRole('heading', { name: `Build ${id}`, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Cancel build' }).click();

    await page
      .getByRole('status')
      .getByText(/^Cancel asked/)
      .waitFor();
    await page.getByRole('status', { name: 'Build state: Cancelled' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').textContent()).toContain('cancelled by');
    expect(await must(api.get(`/builds/${id}`, alice.key))).toMatchObject({ state: 'Cancelled', failureReason: expect.stringContaining('cancelled by') });
    expect((await must(api.get('/images/tool', alice.key))).version).toBe(1);
    await browser.shot('build-cancelled');
  }, 90_000);

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(browser.scriptErrors).toEqual([]);
  });
});
