/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */
/**
 * Projects in the web console (headless Chromium against the local stack): the Projects page's
 * tree with parents derived from the paths `GET /v1/projects` lists and each project's direct
 * counts; choosing a project shows exactly what the API lists with `?project=` (and, asked, its
 * subprojects'); the top level; and the image, deployment and product lists and pages showing
 * each one's project as a link there. Screenshots go to test-results/console/ (projects-*).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector } from '#test/support/world';
import { CONSOLE_DIR, ensureConsoleBuilt, openBrowser, type ConsoleBrowser } from './support/browser';

const CONNECTOR = 'sim-eu';

let stack: LocalStack;
let api: ApiClient;
let browser: ConsoleBrowser;
let page: Page;
let vendor: { id: string; key: string };
let projectMysql: any;
let topMysql: any;
let site: any;

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

/** The names of a table's rows (their header cells), in order. */
const rowNames = (caption: string) => page.getByRole('table', { name: caption }).locator('tbody th[scope="row"]').allTextContents();
const listed = async (collection: string, query: string) => (await must(api.get(`/${collection}?${query}`, vendor.key))).items.map((i: any) => i.name);

beforeAll(async () => {
  await ensureConsoleBuilt();
  stack = await startLocalStack({ scheduleIntervalMs: 500, consoleDir: CONSOLE_DIR });
  api = apiClient(stack.apiUrl);
  const made = await must(api.post('/users', stack.adminKey, { name: 'acme', role: 'vendor' }));
  vendor = { id: made.id, key: made.apiKey };
  await createSimConnector(api, stack.adminKey, CONNECTOR);
  const credential = (await must(api.post('/credentials', vendor.key, { connector: CONNECTOR, secrets: { apiKey: 'demo', apiSecret: 'not-a-secret' } }))).id;
  await must(api.post('/images', vendor.key, { name: 'ubuntu', cloudImageIds: { [CONNECTOR]: 'sim-ubuntu-22.04' } }));
  topMysql = await must(api.post('/images', vendor.key, { name: 'mysql', parent: 'ubuntu' }));
  projectMysql = await must(api.post('/images', vendor.key, { name: 'mysql', project: 'shop/backend', parent: 'ubuntu', outputs: ['hostname'] }));
  await must(api.post('/images', vendor.key, { name: 'nginx', project: 'shop/frontend', parent: 'ubuntu' }));
  // A bare `mysql` in a deployment of shop/backend is that project's mysql.
  site = await must(api.post('/deployments', vendor.key, { name: 'site', project: 'shop/backend', nodes: [{ name: 'db', image: 'mysql', multiplicity: 1 }] }));
  await must(
    api.post('/products', vendor.key, {
      name: 'db-hosting',
      project: 'shop/backend',
      deployment: 'shop/backend/site',
      connector: CONNECTOR,
      credential,
      plans: [{ name: 'basic', monthlyFee: { amount: 900, currency: 'EUR' }, vmHourPrice: { amount: 2, currency: 'EUR' } }],
    }),
  );

  browser = await openBrowser();
  page = browser.page;
  await page.goto(`${stack.apiUrl}/`);
  await page.getByLabel('API key').fill(vendor.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the Projects page', () => {
  it('shows the projects as a tree, the parent derived from the paths, each with its direct counts', async () => {
    const listedProjects = (await must(api.get('/projects', vendor.key))).items;
    expect(listedProjects).toEqual([
      { path: 'shop/backend', images: 1, deployments: 1, products: 1 },
      { path: 'shop/frontend', images: 1, deployments: 0, products: 0 },
    ]);

    await page.getByRole('link', { name: 'Projects', exact: true }).click();

    const tree = page.getByRole('list', { name: 'Projects', exact: true });
    await tree.getByRole('link', { name: 'shop', exact: true }).waitFor();
    // One line per project, nested ones under their parent's.
    const items = await tree.locator(':scope > li').allInnerTexts();
    expect(items.map((text) => text.split('\n').map((line) => line.replace(/\s+/g, ' ').trim()))).toEqual([
      ['Top level no project'],
      ['shop nothing directly', 'backend 1 image · 1 deployment · 1 product', 'frontend 1 image · 0 deployments · 0 products'],
    ]);
    const children = page.getByRole('list', { name: 'Projects in shop' });
    expect(await children.getByRole('link').allTextContents()).toEqual(['backend', 'frontend']);
    await page.getByText('Choose a project to see what it holds.').waitFor();
  });

  it('shows what a project holds: exactly the API’s lists with ?project=', async () => {
    await page.getByRole('list', { name: 'Projects in shop' }).getByRole('link', { name: 'backend' }).click();

    await page.getByRole('heading', { name: 'Project shop/backend', level: 2 }).waitFor();
    expect(new URL(page.url()).searchParams.get('project')).toBe('shop/backend');
    expect(await page.getByRole('link', { name: 'backend', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('table', { name: 'Images in shop/backend' }).waitFor();
    expect(await rowNames('Images in shop/backend')).toEqual(await listed('images', 'project=shop/backend'));
    expect(await rowNames('Images in shop/backend')).toEqual(['mysql']);
    expect(await page.getByRole('table', { name: 'Images in shop/backend' }).getByRole('link', { name: 'mysql' }).getAttribute('href')).toBe(
      `/images/${projectMysql.id}`,
    );
    expect(await rowNames('Deployments in shop/backend')).toEqual(['site']);
    expect(await rowNames('Products in shop/backend')).toEqual(['db-hosting']);
    expect(await listed('products', 'project=shop/backend')).toEqual(['db-hosting']);
    await browser.shot('projects-backend');
  });

  it('shows a derived parent empty, and everything below it with its subprojects', async () => {
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await page.getByRole('heading', { name: 'Project shop', level: 2 }).waitFor();
    await page.getByText('No image in shop.').waitFor();
    expect(await page.getByText('No deployment in shop.').count()).toBe(1);

    await page.getByLabel('Include its subprojects').check();

    await page.getByRole('table', { name: 'Images in shop' }).waitFor();
    expect((await rowNames('Images in shop')).sort()).toEqual((await listed('images', 'project=shop&subprojects=true')).sort());
    expect((await rowNames('Images in shop')).sort()).toEqual(['mysql', 'nginx']);
    const projects = await page
      .getByRole('table', { name: 'Images in shop' })
      .getByRole('link', { name: /^Project / })
      .allTextContents();
    expect(projects.sort()).toEqual(['shop/backend', 'shop/frontend']);
    await browser.shot('projects-shop-subprojects');
  });

  it('shows the top level: what has no project', async () => {
    await page.getByRole('link', { name: 'Top level' }).click();
    await page.getByRole('heading', { name: 'Top level (no project)', level: 2 }).waitFor();
    await page.getByRole('table', { name: 'Images in the top level' }).waitFor();
    expect((await rowNames('Images in the top level')).sort()).toEqual(['mysql', 'ubuntu']);
    expect(await page.getByRole('table', { name: 'Images in the top level' }).getByRole('link', { name: 'mysql' }).getAttribute('href')).toBe(
      `/images/${topMysql.id}`,
    );
    await page.getByText('No deployment in the top level.').waitFor();
  });
});

describe('the project on the other pages', () => {
  it('lists images with their project, linked to the Projects page', async () => {
    await page.getByRole('link', { name: 'Images', exact: true }).click();
    await page.getByRole('heading', { name: 'Images', level: 1 }).waitFor();
    const rows = page.getByRole('row', { name: /^mysql / });
    await rows.nth(1).waitFor();
    expect((await rows.getByRole('cell').allTextContents()).filter((_, i) => i % 5 === 0).sort()).toEqual(['shop/backend', 'top level']);

    await page
      .getByRole('row', { name: /^nginx / })
      .getByRole('link', { name: 'Project shop/frontend' })
      .click();

    await page.getByRole('heading', { name: 'Project shop/frontend', level: 2 }).waitFor();
    await page.getByRole('table', { name: 'Images in shop/frontend' }).waitFor();
    expect(await rowNames('Images in shop/frontend')).toEqual(['nginx']);
  });

  it('shows the project on an image’s and a deployment’s page, the node’s image by its path', async () => {
    await page.goto(`${stack.apiUrl}/images/${projectMysql.id}`);
    await page.getByRole('heading', { name: 'Image mysql', level: 1 }).waitFor();
    const link = page.getByRole('link', { name: 'Project shop/backend' }).first();
    expect(await link.getAttribute('href')).toBe('/projects?project=shop%2Fbackend');

    await page.goto(`${stack.apiUrl}/deployments/${site.id}`);
    await page.getByRole('heading', { name: 'Deployment site', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Project shop/backend' }).count()).toBe(1);
    const image = page.getByRole('row', { name: /^db / }).getByRole('link');
    await image.getByText('shop/backend/mysql').waitFor();
    expect(await image.getAttribute('href')).toBe(`/images/${projectMysql.id}`);
    expect(site.nodes[0].image).toBe(projectMysql.id);
    await browser.shot('projects-deployment');
  });

  it('lists the vendor’s products with their project', async () => {
    await page.getByRole('link', { name: 'Products', exact: true }).click();
    const products = page.getByRole('table', { name: 'Products' });
    const row = products.getByRole('row', { name: /^db-hosting/ });
    await row.waitFor();
    expect((await row.getByRole('cell').allTextContents())[0]).toBe('shop/backend');
    await row.getByRole('link', { name: 'Project shop/backend' }).click();
    await page.getByRole('heading', { name: 'Project shop/backend', level: 2 }).waitFor();
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(browser.scriptErrors).toEqual([]);
  });
});
