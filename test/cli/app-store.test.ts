/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output is asserted field by field */
/**
 * The app store from the command line, as pipelines run `slipway` (a child process,
 * no terminal) against the local stack: an admin makes a vendor and a customer, a
 * sim connector and its price list; the vendor applies examples/wordpress.yaml,
 * creates a product with two plans from examples/product.yaml (money as "19.00 EUR"),
 * publishes it and opens a store; the customer orders with --wait (steps one by one
 * to Active, exit 0; a product whose runs always fail: Failed with the reason, exit 1),
 * shows, renews and cancels; after an admin closes the current month, the customer's
 * invoice (lines and totals from minor units) and the vendor's report (revenue, fee,
 * net). Exit codes as cli/exit-codes.ts documents them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes';
import { ENV } from '#functions/commons/env';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { cleanEnv, cli, json, REPO, type CliResult } from './support/cli';

let stack: LocalStack;
let admin: Record<string, string>;
let acme: Record<string, string>;
let carol: Record<string, string>;
let acmeId: string;
let carolId: string;
let productId: string;
let storeId: string;
/** Carol's orders: on plan pro (no term, no trial) and on plan basic (30-day term, 7 trial days). */
const orders: { pro?: any; basic?: any } = {};

const MONTH = new Date().toISOString().slice(0, 7);
const example = (name: string) => join(REPO, 'examples', name);

/** Minor units as the CLI prints them, written plainly (strings, no floating point): 158 → "1.58", -5 → "-0.05". */
const euro = (cents: number) => {
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${cents < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

const ok = (result: CliResult) => {
  if (result.code !== 0) throw new Error(`exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
};

/** A user with their key's environment. */
async function user(name: string, role: string): Promise<{ env: Record<string, string>; id: string }> {
  const made = json(ok(await cli(['users', 'create', name, '--role', role, '-o', 'json'], admin)));
  expect(made.role).toBe(role);
  return { env: cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: made.apiKey }), id: made.id };
}

beforeAll(async () => {
  // A failed order's next attempt comes after 1 s, 2 s (its documented setting), not minutes.
  process.env[ENV.orderRetryBaseSeconds] = '1';
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  admin = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: stack.adminKey });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the app store’s commands', () => {
  it('are listed in --help, with order --wait’s exit codes', async () => {
    const result = ok(await cli(['--help'], cleanEnv()));

    for (const command of ['products', 'prices', 'stores', 'order', 'orders', 'invoices', 'billing', 'reports']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('order --wait: the order is Active');
  });
});

describe('an admin', () => {
  it('makes a vendor and a customer, and the sim connector', async () => {
    ({ env: acme, id: acmeId } = await user('acme', 'vendor'));
    ({ env: carol, id: carolId } = await user('carol', 'user'));

    ok(await cli(['connectors', 'create', 'sim-eu', '--kind', 'sim', '--default-quota', '10', '--max-workers', '2', '--setting', 'bootSeconds=1'], admin));
    ok(
      await cli(
        ['connectors', 'create', 'sim-broken', '--kind', 'sim', '--default-quota', '5', '--max-workers', '1', '--setting', 'permanentFailureRate=1'],
        admin,
      ),
    );

    expect(ok(await cli(['users'], admin)).stdout).toMatch(new RegExp(`^${acmeId}\\s+acme\\s+vendor\\s`, 'm'));
  });

  it('sets a price list from a file (minor units or "0.05" text) and anyone reads it, money from minor units', async () => {
    const set = json(ok(await cli(['prices', 'set', 'sim-eu', '-f', example('prices.yaml'), '-o', 'json'], admin)));
    const table = ok(await cli(['prices', 'sim-eu'], carol)).stdout;

    expect(set).toMatchObject({ connector: 'sim-eu', currency: 'EUR', perHour: { small: 2, medium: 5, large: 11 }, defaultPerHour: 3, version: 1 });
    expect(table).toMatch(/^medium\s+0\.05 EUR$/m);
    expect(table).toMatch(/^\(any other\)\s+0\.03 EUR$/m);
  });

  it('is the only one who may set prices (a vendor: exit 3), and a price with more decimals than the currency has is refused (exit 2)', async () => {
    const byVendor = await cli(['prices', 'set', 'sim-eu', '--currency', 'EUR', '--per-hour', 'small=1'], acme);
    const tooFine = await cli(['prices', 'set', 'sim-eu', '--currency', 'EUR', '--per-hour', 'small=0.021'], admin);

    expect(byVendor.code).toBe(EXIT.notFound);
    expect(tooFine.code).toBe(EXIT.usage);
    expect(tooFine.stderr).toContain('--per-hour small: "0.021" is not a price');
    expect(json(ok(await cli(['prices', 'sim-eu', '-o', 'json'], admin))).version).toBe(1);
  });
});

describe('a vendor', () => {
  it('sets up a credential, images and the deployment (apply examples/wordpress.yaml)', async () => {
    ok(await cli(['credentials', 'create', '--connector', 'sim-eu', '--secret', 'apiKey=demo', '--secret', 'apiSecret=s3cret'], acme));

    const applied = json(ok(await cli(['apply', '-f', example('wordpress.yaml'), '--yes', '-o', 'json'], acme)));

    expect(applied.applied.map((a: any) => a.name)).toEqual(['ubuntu', 'mysql', 'wordpress', 'wordpress-site']);
  });

  it('creates a draft product with two plans from examples/product.yaml, money read as minor units, its credential found', async () => {
    const made = json(ok(await cli(['products', 'create', '-f', example('product.yaml'), '-o', 'json'], acme)));
    const credential = json(ok(await cli(['credentials', '-o', 'json'], acme)))[0].id;

    productId = made.id;
    expect(made).toMatchObject({ name: 'wordpress-hosting', state: 'draft', version: 1, owner: acmeId, connector: 'sim-eu', credential, deploymentVersion: 1 });
    expect(made.plans).toEqual([
      { name: 'basic', monthlyFee: { amount: 1900, currency: 'EUR' }, vmHourPrice: { amount: 4, currency: 'EUR' }, termDays: 30, trialDays: 7 },
      { name: 'pro', monthlyFee: { amount: 4900, currency: 'EUR' }, vmHourPrice: { amount: 3, currency: 'EUR' } },
    ]);
  });

  it('creates a product from flags, plans as name=…,monthly=…,vm-hour=…', async () => {
    const made = json(
      ok(
        await cli(
          [
            'products',
            'create',
            'wp-mini',
            '--deployment',
            'wordpress-site',
            '--connector',
            'sim-eu',
            '--plan',
            'name=solo,monthly=9.5EUR,vm-hour=EUR 0.01,term=7',
            '-o',
            'json',
          ],
          acme,
        ),
      ),
    );

    expect(made.plans).toEqual([{ name: 'solo', monthlyFee: { amount: 950, currency: 'EUR' }, vmHourPrice: { amount: 1, currency: 'EUR' }, termDays: 7 }]);
  });

  it('refuses a plan flag it cannot read (exit 2) and a product the API refuses (exit 1, each bad field), creating nothing', async () => {
    const badFlag = await cli(['products', 'create', 'x', '--deployment', 'wordpress-site', '--connector', 'sim-eu', '--plan', 'name=x,monthly=9,50EUR'], acme);
    const file = join(acme.HOME!, 'bad.yaml');
    writeFileSync(
      file,
      readFileSync(example('product.yaml'), 'utf8')
        .replace('name: wordpress-hosting', 'name: Bad Name')
        .replace('deployment: wordpress-site', 'deployment: nowhere'),
    );
    const refused = await cli(['products', 'create', '-f', file], acme);

    expect(badFlag.code).toBe(EXIT.usage);
    expect(refused.code).toBe(EXIT.failure);
    expect(refused.stderr).toMatch(/^slipway: Invalid request: .+\n(?: {2}body\.\S+: .+\n)+$/);
    expect(refused.stderr).toContain('  body.name: ');
    expect(
      json(ok(await cli(['products', '-o', 'json'], acme)))
        .map((p: any) => p.name)
        .sort(),
    ).toEqual(['wordpress-hosting', 'wp-mini']);
  });

  it('sees their drafts; a customer’s catalog does not', async () => {
    const own = ok(await cli(['products'], acme)).stdout;
    const catalog = json(ok(await cli(['products', '-o', 'json'], carol)));

    expect(own.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATE\s+VERSION\s+PLANS\s+CONNECTOR\s+EST\. VMS\/H\s+VENDOR$/);
    expect(own).toMatch(new RegExp(`^${productId}\\s+wordpress-hosting\\s+draft\\s+1\\s+basic 19\\.00 EUR/month, pro 49\\.00 EUR/month\\s+sim-eu\\s`, 'm'));
    expect(catalog).toEqual([]);
  });

  it('publishes the product (by name) into the catalog, a new version', async () => {
    const published = ok(await cli(['products', 'publish', 'wordpress-hosting'], acme)).stdout;

    expect(published.trim()).toBe(`Product wordpress-hosting (${productId}) is published (version 2): it is in the catalog: slipway order.`);
  });

  it('opens a store whose page lists the product with its "Buy this" link', async () => {
    const store = json(ok(await cli(['stores', 'create', 'acme-shop', '--product', 'wordpress-hosting', '--product', 'wp-mini', '-o', 'json'], acme)));
    storeId = store.id;

    const shown = ok(await cli(['stores', 'show', storeId], carol)).stdout;

    expect(store.products).toEqual([productId, expect.stringMatching(/^prd_/)]);
    expect(shown).toMatch(/^store:\s+acme-shop/m);
    // wp-mini is a draft: the store's page shows published products only.
    expect(shown).not.toContain('wp-mini');
    expect(shown).toContain(`${stack.apiUrl}/v1/stores/${storeId}/buy/${productId}`);
  });
});

describe('a customer', () => {
  it('sees the product in the catalog without its credential, with its plans and the estimated hourly cost', async () => {
    const list = ok(await cli(['products'], carol)).stdout;
    const shown = ok(await cli(['products', 'show', productId], carol)).stdout;
    const product = json(ok(await cli(['products', 'show', 'wordpress-hosting', '-o', 'json'], carol)));

    // Three VMs of no instance type at the default 0.03 EUR per hour.
    expect(list).toMatch(new RegExp(`^${productId}\\s+wordpress-hosting\\s+published\\s+2\\s.*\\s0\\.09 EUR/h\\s+${acmeId}$`, 'm'));
    expect(product.credential).toBeUndefined();
    expect(product.estimatedHourlyCost).toEqual({ amount: 9, currency: 'EUR' });
    expect(shown).not.toMatch(/^credential:/m);
    expect(shown).toMatch(/^vms cost:\s+0\.09 EUR\/h$/m);
    expect(shown).toMatch(/^basic\s+19\.00 EUR\s+0\.04 EUR\s+30 days\s+7 days$/m);
    expect(shown).toMatch(/^pro\s+49\.00 EUR\s+0\.03 EUR\s+until cancelled\s+-$/m);
  });

  it('must choose a plan (exit 2, the plans named), and one the product has (exit 1)', async () => {
    const none = await cli(['order', 'wordpress-hosting'], carol);
    const unknown = await cli(['order', productId, '--plan', 'gold'], carol);

    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toContain('Choose a plan of wordpress-hosting: --plan basic|pro');
    expect(unknown.code).toBe(EXIT.failure);
    expect(unknown.stderr).toContain('body.plan: ');
    expect(json(ok(await cli(['orders', '-o', 'json'], carol)))).toEqual([]);
  });

  it('orders with --wait: the steps one per line as they come, then Active with the run’s addresses, exit 0', async () => {
    const result = await cli(['order', 'wordpress-hosting', '--plan', 'pro', '--wait'], carol, { timeoutMs: 90_000 });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('\x1b[');
    const id = /^Order (ord_\w+) is Active until cancelled: run (run_\w+)\.$/m.exec(result.stdout);
    expect(id).not.toBeNull();
    orders.pro = json(ok(await cli(['orders', 'show', id![1]!, '-o', 'json'], carol)));
    expect(orders.pro).toMatchObject({ state: 'Active', run: id![2], plan: { name: 'pro' } });
    // Each step once, in order, as a line `HH:MM:SS <order> <state>  <message>`.
    const stepLine = new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${orders.pro.id} `);
    const stepLines = result.stdout.split('\n').filter((line) => stepLine.test(line));
    expect(stepLines).toEqual(orders.pro.steps.map((s: any) => `${s.at.slice(11, 19)} ${orders.pro.id} ${s.state.padEnd(12)}  ${s.message}`));
    expect(stepLines.map((line) => line.split(/\s+/)[2])).toEqual(expect.arrayContaining(['Pending', 'Provisioning', 'Active']));
    // The run's instances as they changed, and their addresses at the end.
    expect(result.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${orders.pro.run} web\\.2 ready`, 'm'));
    const run = json(ok(await cli(['show', orders.pro.run, '-o', 'json'], carol)));
    for (const instance of run.instances)
      expect(result.stdout).toMatch(new RegExp(`^${instance.name.replace('.', '\\.')}\\s+${instance.ip}\\s+${instance.parameters.hostname}$`, 'm'));
  }, 90_000);

  it('orders as JSON with --wait: the order on stdout, the progress on stderr', async () => {
    const result = await cli(['order', productId, '--plan', 'basic', '--wait', '-o', 'json'], carol, { timeoutMs: 90_000 });

    expect(result.code, result.stderr).toBe(0);
    orders.basic = json(result);
    expect(orders.basic).toMatchObject({ state: 'Active', plan: { name: 'basic', termDays: 30, trialDays: 7 }, endsAt: expect.any(String) });
    expect(result.stderr).toContain(`${orders.basic.id} Active`);
  }, 90_000);

  it('lists their orders and shows one: plan, steps, run and the run’s addresses', async () => {
    const table = ok(await cli(['orders'], carol)).stdout;
    const shown = ok(await cli(['orders', 'show', orders.pro.id], carol)).stdout;
    const active = json(ok(await cli(['orders', '--state', 'Active', '-o', 'json'], carol)));

    expect(table.split('\n')[0]).toMatch(/^ID\s+PRODUCT\s+PLAN\s+STATE\s+CUSTOMER\s+RUN\s+CREATED\s+ENDS$/);
    expect(table).toMatch(new RegExp(`^${orders.pro.id}\\s+wordpress-hosting v2\\s+pro\\s+Active\\s+${carolId}\\s+${orders.pro.run}\\s`, 'm'));
    expect(active.map((o: any) => o.id).sort()).toEqual([orders.pro.id, orders.basic.id].sort());
    expect(shown).toMatch(/^plan:\s+pro: 49\.00 EUR\/month \+ 0\.03 EUR\/VM-hour, no term$/m);
    expect(shown).toMatch(new RegExp(`^run:\\s+${orders.pro.run}$`, 'm'));
    expect(shown).toMatch(/^ends:\s+until cancelled$/m);
    expect(shown).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}Active {8}active: run run_\w+ is Ready$/m);
    expect(shown).toMatch(/^web\.1\s+running\s+\d+\.\d+\.\d+\.\d+\s+web-1\.\S+$/m);
  });

  it('renews an order by one term; a plan without a term cannot be renewed (exit 1)', async () => {
    const renewed = json(ok(await cli(['orders', 'renew', orders.basic.id, '-o', 'json'], carol)));
    const noTerm = await cli(['orders', 'renew', orders.pro.id], carol);

    expect(Date.parse(renewed.endsAt) - Date.parse(orders.basic.endsAt)).toBe(30 * 86_400_000);
    expect(noTerm.code).toBe(EXIT.failure);
    expect(noTerm.stderr).toMatch(/^slipway: Conflict: /);
  });

  it('is told why an order Failed, exit 1, after its attempts', async () => {
    // A one-VM product on a cloud that refuses every create.
    ok(await cli(['credentials', 'create', '--connector', 'sim-broken', '--secret', 'apiKey=demo', '--secret', 'apiSecret=x'], acme));
    const app = join(acme.HOME!, 'one-vm.yaml');
    writeFileSync(
      app,
      'images:\n  - name: base\n    cloudImageIds: {sim-broken: sim-ubuntu-22.04}\ndeployments:\n  - name: one-vm\n    nodes: [{name: vm, image: base}]\n',
    );
    ok(await cli(['apply', '-f', app, '--yes'], acme));
    const doomed = json(
      ok(
        await cli(
          [
            'products',
            'create',
            'doomed',
            '--deployment',
            'one-vm',
            '--connector',
            'sim-broken',
            '--plan',
            'name=x,monthly=1EUR,vm-hour=0.01EUR',
            '-o',
            'json',
          ],
          acme,
        ),
      ),
    );
    ok(await cli(['products', 'publish', doomed.id], acme));

    const result = await cli(['order', 'doomed', '--plan', 'x', '--wait'], carol, { timeoutMs: 90_000 });

    expect(result.code).toBe(EXIT.failure);
    const failed = json(ok(await cli(['orders', '-o', 'json'], carol))).find((o: any) => o.product === doomed.id);
    expect(failed).toMatchObject({ state: 'Failed', attempts: 3 });
    expect(result.stderr).toBe(`slipway: Order ${failed.id} Failed: ${failed.failureReason}\n`);
    expect(result.stdout).toMatch(/ attempt 2 of 3 failed: .*; trying again in 2 s$/m);
  }, 90_000);
});

describe('the vendor’s view of orders', () => {
  it('lists the orders of their products (--as vendor) and shows one without the customer’s run', async () => {
    const listed = json(ok(await cli(['orders', '--as', 'vendor', '-o', 'json'], acme)));
    const shown = ok(await cli(['orders', 'show', orders.pro.id], acme)).stdout;
    const cancel = await cli(['orders', 'cancel', orders.pro.id], acme);
    const notVendor = await cli(['orders', '--as', 'vendor'], carol);

    expect(listed.map((o: any) => o.id)).toEqual(expect.arrayContaining([orders.pro.id, orders.basic.id]));
    expect(shown).toContain(`The run ${orders.pro.run} is the customer's: only they (and admins) see its addresses.`);
    expect(shown).not.toMatch(/^Addresses:/m);
    expect(cancel.code).toBe(EXIT.notFound);
    expect(notVendor.code).toBe(EXIT.notFound);
  });
});

describe('billing', () => {
  let invoiceId: string;

  it('is closed by an admin for the current month (up to now), once: a second close changes nothing', async () => {
    ok(await cli(['billing', 'fee', '12.5%'], admin));

    const closed = ok(await cli(['billing', 'close', '--month', MONTH], admin)).stdout;
    const again = ok(await cli(['billing', 'close', '--month', MONTH], admin)).stdout;
    const badMonth = await cli(['billing', 'close', '--month', '2026-13'], admin);
    const byVendor = await cli(['billing', 'close', '--month', MONTH], acme);

    expect(closed).toMatch(new RegExp(`^Closed ${MONTH}\\.$`, 'm'));
    expect(closed).toMatch(/^platform fee:\s+12\.5 %$/m);
    expect(closed).toMatch(/^invoices:\s+1$/m);
    expect(again).toMatch(new RegExp(`^${MONTH} was closed already`, 'm'));
    expect(badMonth.code).toBe(EXIT.usage);
    expect(byVendor.code).toBe(EXIT.notFound);
  });

  it('gives the customer an invoice: its lines and totals printed from minor units with the currency', async () => {
    const [listed] = json(ok(await cli(['invoices', '-o', 'json'], carol)));
    invoiceId = listed.id;
    const shown = ok(await cli(['invoices', 'show', invoiceId], carol)).stdout;
    const table = ok(await cli(['invoices'], carol)).stdout;

    expect(listed).toMatchObject({ customer: carolId, month: MONTH, state: 'issued' });
    // The pro order is charged (fee for its day, and its VM-hours); the basic one is in its trial.
    const proLines = listed.lines.filter((l: any) => l.order === orders.pro.id);
    expect(proLines.map((l: any) => l.kind)).toEqual(expect.arrayContaining(['fee']));
    expect(listed.lines.filter((l: any) => l.order === orders.basic.id && l.amount.amount !== 0)).toEqual([]);
    for (const line of listed.lines) {
      const text = `${line.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s.*\\s${euro(line.amount.amount).replace('.', '\\.')} EUR$`;
      expect(shown).toMatch(new RegExp(text, 'm'));
    }
    const total = listed.lines.reduce((sum: number, line: any) => sum + line.amount.amount, 0);
    expect(listed.totals).toEqual([{ amount: total, currency: 'EUR' }]);
    expect(shown).toMatch(new RegExp(`^Total EUR: ${euro(total).replace('.', '\\.')}$`, 'm'));
    expect(shown).toMatch(
      new RegExp(`^${orders.pro.id}\\s+wordpress-hosting\\s+pro\\s+${MONTH}\\s+fee\\s+pro: monthly fee for 1 of the \\d+ days of ${MONTH}\\s+1 day\\s+`, 'm'),
    );
    expect(table).toMatch(
      new RegExp(`^${invoiceId}\\s+${MONTH}\\s+issued\\s+${carolId}\\s+${listed.lines.length}\\s+${euro(total).replace('.', '\\.')} EUR\\s`, 'm'),
    );
  });

  it('gives the vendor a report for the month: revenue per product and plan, the 12.5 % fee and the net', async () => {
    const shown = ok(await cli(['reports', '--month', MONTH], acme)).stdout;
    const [report] = json(ok(await cli(['reports', '--month', MONTH, '-o', 'json'], acme)));
    const all = ok(await cli(['reports'], acme)).stdout;
    const byAdmin = json(ok(await cli(['reports', '--vendor', 'acme', '--month', MONTH, '-o', 'json'], admin)));
    const notVendor = await cli(['reports', '--month', MONTH], carol);

    expect(report).toMatchObject({ vendor: acmeId, month: MONTH, feeBasisPoints: 1250 });
    const [totals] = report.totals;
    // fee = floor(revenue × 1250 / 10000), net = revenue − fee: integers, checked here with BigInt.
    expect(BigInt(totals.fee)).toBe((BigInt(totals.revenue) * 1250n) / 10_000n);
    expect(totals.net).toBe(totals.revenue - totals.fee);
    const pro = report.lines.find((l: any) => l.plan === 'pro');
    expect(shown).toMatch(new RegExp(`^wordpress-hosting\\s+pro\\s+1\\s+${euro(pro.revenue.amount).replace('.', '\\.')} EUR$`, 'm'));
    expect(shown).toMatch(/^platform fee:\s+12\.5 %$/m);
    expect(shown).toMatch(new RegExp(`^EUR\\s+${euro(totals.revenue)}\\s+${euro(totals.fee)}\\s+${euro(totals.net)}$`.replace(/\./g, '\\.'), 'm'));
    expect(all).toMatch(new RegExp(`^${MONTH}\\s+\\d+\\s+12\\.5 %\\s+EUR\\s+${euro(totals.revenue).replace('.', '\\.')}\\s`, 'm'));
    expect(byAdmin).toEqual([report]);
    expect(notVendor.code).toBe(EXIT.notFound);
  });

  it('lets only an admin mark an invoice paid; a paid invoice cannot be voided (exit 1)', async () => {
    const byCustomer = await cli(['invoices', 'pay', invoiceId], carol);
    const paid = ok(await cli(['invoices', 'pay', invoiceId], admin)).stdout;
    const voided = await cli(['invoices', 'void', invoiceId], admin);
    const everyone = json(ok(await cli(['invoices', '--customer', 'carol', '-o', 'json'], admin)));

    expect(byCustomer.code).toBe(EXIT.notFound);
    expect(paid).toMatch(new RegExp(`^Invoice ${invoiceId} \\(${MONTH}, [\\d.]+ EUR\\) is paid\\.$`, 'm'));
    expect(voided.code).toBe(EXIT.failure);
    expect(voided.stderr).toMatch(/^slipway: Conflict: /);
    expect(everyone.map((i: any) => [i.id, i.state])).toEqual([[invoiceId, 'paid']]);
  });
});

describe('the end of an order, and of a product', () => {
  it('cancels an order: Cancelled at once, its run terminated', async () => {
    const cancelled = ok(await cli(['orders', 'cancel', orders.pro.id], carol)).stdout;

    expect(cancelled.trim()).toBe(`Order ${orders.pro.id} is Cancelled; its run ${orders.pro.run} is being terminated.`);
    ok(await cli(['terminate', orders.pro.run, '--wait'], carol));
    expect(json(ok(await cli(['show', orders.pro.run, '-o', 'json'], carol))).state).toBe('Done');
  });

  it('retires a product: out of the catalog, and ordering it is refused (exit 1)', async () => {
    ok(await cli(['products', 'retire', productId], acme));

    const catalog = json(ok(await cli(['products', '-o', 'json'], carol)));
    const order = await cli(['order', productId, '--plan', 'pro'], carol);

    expect(catalog.map((p: any) => p.id)).not.toContain(productId);
    expect(order.code).toBe(EXIT.failure);
    expect(order.stderr).toMatch(/^slipway: Conflict: .*retired/);
  });
});
