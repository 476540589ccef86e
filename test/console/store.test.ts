/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */
/**
 * The app store in the web console (headless Chromium against the local stack): the
 * catalog with its plans, prices and estimated cost; ordering through a store's
 * "Buy this" link (sign-in on the way), the order's steps live to Active with the run's
 * addresses; the vendor's products, orders and monthly report; the admin's month
 * close, the invoice with its lines and totals, paid; cancelling the order.
 * Screenshots go to test-results/console/ (store-*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser, createWordpressSite } from '#test/support/world';
import { CONSOLE_DIR, ensureConsoleBuilt, openBrowser, type ConsoleBrowser } from './support/browser';

const CONNECTOR = 'sim-shop';
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
const euros = (amount: number) => ({ amount, currency: 'EUR' });
const PLANS = [
  { name: 'basic', monthlyFee: euros(1900), vmHourPrice: euros(4), termDays: 30, trialDays: 7 },
  { name: 'pro', monthlyFee: euros(4900), vmHourPrice: euros(3) },
];
const MONTH = new Date().toISOString().slice(0, 7);
/** Cents as the console shows them, written plainly here (strings, no floating point): 158 → "1.58". */
const euro = (cents: number) => {
  const digits = String(cents).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

let stack: LocalStack;
let api: ApiClient;
let browser: ConsoleBrowser;
let page: Page;
let vendor: { id: string; key: string };
let carol: { id: string; key: string };
let product: any;
let store: any;
let orderId: string;

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

/** Signs out whoever is signed in (if anyone), then in with `key` wherever the page is. */
async function signIn(key: string, at = `${stack.apiUrl}/`): Promise<void> {
  await page.goto(at);
  const signOut = page.getByRole('button', { name: 'Sign out' });
  if (await signOut.isVisible()) {
    await signOut.click();
    await page.goto(at);
  }
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signOut.waitFor();
}

/** The cells of the row whose header starts with `name`, in `scope`. */
const rowCells = (scope: ReturnType<Page['getByRole']>, name: RegExp) => scope.getByRole('row', { name }).getByRole('cell').allTextContents();

beforeAll(async () => {
  await ensureConsoleBuilt();
  stack = await startLocalStack({ scheduleIntervalMs: 500, consoleDir: CONSOLE_DIR });
  api = apiClient(stack.apiUrl);
  const made = await must(api.post('/users', stack.adminKey, { name: 'acme', role: 'vendor' }));
  vendor = { id: made.id, key: made.apiKey };
  carol = await createUser(api, stack.adminKey, 'carol');
  await createSimConnector(api, stack.adminKey, CONNECTOR);
  await must(api.put(`/prices/${CONNECTOR}`, stack.adminKey, { currency: 'EUR', perHour: {}, defaultPerHour: 3 }));
  await createWordpressSite(api, vendor.key, CONNECTOR);
  const credential = (await must(api.get('/credentials', vendor.key))).items[0].id;
  product = await must(
    api.post('/products', vendor.key, {
      name: 'wordpress-hosting',
      description: 'WordPress and MySQL, three VMs.',
      deployment: 'wordpress-site',
      connector: CONNECTOR,
      credential,
      plans: PLANS,
    }),
  );
  product = await must(api.post(`/products/${product.id}/publish`, vendor.key));
  store = await must(api.post('/stores', vendor.key, { name: 'acme-shop', products: [product.id] }));

  browser = await openBrowser();
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the app store in the console', () => {
  it('shows the catalog: the product with each plan’s fee, VM-hour price, term and trial, and the estimated hourly cost', async () => {
    await signIn(carol.key);

    await page.getByRole('link', { name: 'Catalog', exact: true }).click();

    const card = page.getByRole('region', { name: 'wordpress-hosting' });
    await card.waitFor();
    expect(await card.getByLabel('Estimated hourly cost of wordpress-hosting').textContent()).toBe('0.09 EUR/h');
    const plans = card.getByRole('table', { name: 'Plans of wordpress-hosting' });
    expect(await rowCells(plans, /^basic /)).toEqual(['19.00 EUR', '0.04 EUR', '30 days', '7 days', 'Order']);
    expect(await rowCells(plans, /^pro /)).toEqual(['49.00 EUR', '0.03 EUR', 'until cancelled', 'none', 'Order']);
    await browser.shot('store-catalog');
    await card.getByRole('link', { name: 'Order wordpress-hosting on plan pro' }).click();
    await page.getByRole('heading', { name: 'Order wordpress-hosting', level: 1 }).waitFor();
    expect(await page.getByRole('radio', { name: /^pro / }).isChecked()).toBe(true);
  });

  it('orders through the store’s buy link: sign-in first, then the plan, then the steps live to Active and the addresses', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();

    // The link a vendor embeds: the API answers 303 to the console's /#/order?product=…&store=…
    await page.goto(`${stack.apiUrl}/v1/stores/${store.id}/buy/${product.id}`);
    await page.getByLabel('API key').fill(carol.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Order wordpress-hosting', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/order');
    expect(new URL(page.url()).searchParams.get('store')).toBe(store.id);
    await page.getByText('From the store acme-shop.').waitFor();
    await page.getByRole('radio', { name: /^pro / }).check();
    await browser.shot('store-order-plan');
    await page.getByRole('button', { name: 'Order pro' }).click();

    await page.getByRole('heading', { name: /^Order ord_/, level: 1 }).waitFor();
    orderId = page.url().split('/orders/')[1]!;
    const steps = page.getByRole('list', { name: 'Order steps, oldest first' }).getByRole('listitem');
    const seen: number[] = [];
    const deadline = Date.now() + 60_000;
    while (!(await page.getByRole('status', { name: 'Order state: Active' }).isVisible())) {
      const count = await steps.count();
      if (seen.at(-1) !== count) seen.push(count);
      if (Date.now() > deadline) throw new Error(`the order never showed Active: ${await page.locator('main').textContent()}`);
      await page.waitForTimeout(100);
    }
    // The steps came one by one, as the page read the order again every 1.5 s.
    expect(seen.length).toBeGreaterThan(1);
    const order = await must(api.get(`/orders/${orderId}`, carol.key));
    expect(order.state).toBe('Active');
    const shown = await steps.allTextContents();
    expect(shown).toHaveLength(order.steps.length);
    expect(shown[0]).toContain('Pending');
    expect(shown.at(-1)).toContain(`active: run ${order.run} is Ready`);
    const run = await must(api.get(`/runs/${order.run}`, carol.key));
    const addresses = page.getByRole('table', { name: 'Addresses of the order’s VMs' });
    for (const instance of run.instances as { name: string; ip: string; parameters: Record<string, string> }[]) {
      const cells = await rowCells(addresses, new RegExp(`^${instance.name.replace('.', '\\.')} `));
      expect(cells[1]).toMatch(IPV4);
      expect(cells.slice(0, 3)).toEqual(['running', instance.ip, instance.parameters.hostname]);
    }
    expect(await page.getByRole('button', { name: 'Cancel order' }).isVisible()).toBe(true);
    // A plan without a term cannot be renewed: no Renew button.
    expect(await page.getByRole('button', { name: /^Renew/ }).count()).toBe(0);
    await browser.shot('store-order-active');
  }, 90_000);

  it('lists the customer’s orders, and shows the vendor the orders of their products without the run’s addresses', async () => {
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('table', { name: 'Orders' }).getByRole('cell', { name: 'wordpress-hosting v2' }).waitFor();
    expect(await rowCells(page.getByRole('table', { name: 'Orders' }), new RegExp(`^${orderId} `))).toEqual([
      'wordpress-hosting v2',
      'pro',
      'Active',
      expect.any(String),
      'when cancelled',
    ]);

    await signIn(vendor.key);
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('link', { name: 'Orders of my products' }).click();
    const theirs = page.getByRole('table', { name: 'Orders of my products' });
    await theirs.getByRole('cell', { name: 'wordpress-hosting v2' }).waitFor();
    expect(await rowCells(theirs, new RegExp(`^${orderId} `))).toEqual([
      'wordpress-hosting v2',
      'pro',
      'Active',
      carol.id,
      expect.any(String),
      'when cancelled',
    ]);
    await browser.shot('store-vendor-orders');
    await theirs.getByRole('link', { name: orderId }).click();
    await page.getByText('The run is your customer’s: only they see its addresses.').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
  });

  it('shows the vendor their products with state and versions, and publishes a draft', async () => {
    const credential = (await must(api.get('/credentials', vendor.key))).items[0].id;
    await must(api.post('/products', vendor.key, { name: 'wp-lite', deployment: 'wordpress-site', connector: CONNECTOR, credential, plans: [PLANS[1]] }));

    await page.getByRole('link', { name: 'Products', exact: true }).click();

    const products = page.getByRole('table', { name: 'Products' });
    await products.getByRole('row', { name: /^wp-lite/ }).waitFor();
    expect((await rowCells(products, /^wordpress-hosting/)).slice(0, 4)).toEqual([
      'top level',
      'published',
      'v2',
      'basic: 19.00 EUR/monthpro: 49.00 EUR/month',
    ]);
    await products.getByRole('button', { name: 'Versions of wordpress-hosting' }).click();
    const list = page.getByRole('list', { name: 'Versions of wordpress-hosting, newest first' });
    await list.getByRole('listitem').nth(1).waitFor();
    const versions = await list.getByRole('listitem').allTextContents();
    expect(
      versions.map((v) =>
        v
          .match(/^Version (\d) (\w+)/)
          ?.slice(1)
          .join(' '),
      ),
    ).toEqual(['2 published', '1 draft']);
    await products.getByRole('button', { name: 'Publish wp-lite' }).click();
    await products.getByRole('button', { name: 'Retire wp-lite' }).waitFor();
    expect((await rowCells(products, /^wp-lite/))[1]).toBe('published');
    await browser.shot('store-vendor-products');
  });

  it('lets an admin close the month from the invoices page and pay the customer’s invoice, whose lines and totals the customer sees', async () => {
    await signIn(stack.adminKey);
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();

    await page.getByLabel('Month (UTC)').fill(MONTH);
    await page.getByRole('button', { name: `Close ${MONTH}` }).click();
    await page
      .getByRole('status')
      .getByText(new RegExp(`^${MONTH} is closed: 1 invoice`))
      .waitFor();
    const invoice = (await must(api.get(`/invoices?month=${MONTH}`, carol.key))).items[0];
    const invoices = page.getByRole('table', { name: 'Invoices' });
    await invoices.getByRole('row', { name: new RegExp(`^${invoice.id} `) }).waitFor();
    await browser.shot('store-admin-invoices');
    await invoices.getByRole('button', { name: `Mark ${invoice.id} paid` }).click();
    await invoices.getByRole('row', { name: new RegExp(`^${invoice.id} .*paid`) }).waitFor();

    await signIn(carol.key);
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByRole('link', { name: invoice.id }).click();

    await page.getByRole('status', { name: 'Invoice state: paid' }).waitFor();
    const lines = page.getByRole('table', { name: 'Invoice lines' });
    await lines.getByRole('cell', { name: 'wordpress-hosting' }).first().waitFor();
    const fee = invoice.lines.find((l: any) => l.kind === 'fee');
    expect(fee).toBeDefined();
    expect(await rowCells(lines, new RegExp(`^${fee.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))).toEqual([
      'wordpress-hosting',
      'pro',
      orderId,
      'fee',
      `${fee.quantity} day${fee.quantity === 1 ? '' : 's'}`,
      `${euro(fee.amount.amount)} EUR`,
    ]);
    expect(await lines.getByRole('row').count()).toBe(1 + invoice.lines.length + invoice.totals.length);
    const total = invoice.totals[0];
    expect(await lines.getByLabel('Total EUR').textContent()).toBe(`${euro(total.amount)} EUR`);
    await browser.shot('store-invoice');
  });

  it('shows the vendor their monthly report: revenue per product and plan, the fee and the net', async () => {
    const [report] = (await must(api.get(`/vendor/reports?month=${MONTH}`, vendor.key))).items;
    await signIn(vendor.key);

    await page.getByRole('link', { name: 'Reports', exact: true }).click();

    const revenue = page.getByRole('table', { name: 'Revenue per product and plan' });
    await revenue.getByRole('rowheader', { name: 'wordpress-hosting' }).waitFor();
    expect(await page.getByLabel('Month (UTC)').inputValue()).toBe(MONTH);
    expect(await rowCells(revenue, /^wordpress-hosting /)).toEqual(['pro', '1', `${euro(report.lines[0].revenue.amount)} EUR`]);
    const [totals] = report.totals;
    expect(await rowCells(page.getByRole('table', { name: 'Totals per currency' }), /^EUR /)).toEqual([
      euro(totals.revenue),
      euro(totals.fee),
      euro(totals.net),
    ]);
    await browser.shot('store-vendor-report');
  });

  it('cancels the order from its page: Cancelled at once, and its run terminated', async () => {
    await signIn(carol.key, `${stack.apiUrl}/#/orders/${orderId}`);
    await page.getByRole('heading', { name: `Order ${orderId}`, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('group', { name: 'Confirm cancelling the order' }).getByRole('button', { name: 'Yes, cancel the order' }).click();

    await page.getByRole('status', { name: 'Order state: Cancelled' }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    const order = await must(api.get(`/orders/${orderId}`, carol.key));
    expect(order.state).toBe('Cancelled');
    expect((await api.waitForRun(order.run, carol.key, ['Done', 'Aborted'])).state).toBe('Done');
    await browser.shot('store-order-cancelled');
  }, 90_000);

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(browser.scriptErrors).toEqual([]);
  });
});
