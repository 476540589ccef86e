/* eslint-disable @typescript-eslint/no-explicit-any -- test client: response bodies are asserted field by field */
/**
 * Billing end to end on the local stack, every response checked against the served
 * OpenAPI document: orders (written through the store in the orders' own format)
 * whose runs left usage records, a past month closed twice (the same invoices, nothing
 * changed), invoice lines equal to a computation written plainly here from the usage
 * records and the plans' prices, vendor reports equal to their invoices' lines minus
 * the fee, the current month closed by hand with a run still live, pay and void,
 * tenancy, and bad input (400 problem+json, nothing changed).
 *
 * Months are counted back from today's: the local month-close schedule closes last
 * month on its own (every tick), so this file bills the month three back and this one.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#functions/commons/clients';
import type { PlanT } from '#functions/schemas/store-catalog';
import type { TableClient } from '#functions/store/table-client';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '#infra/local/stack';
import { storeInstances, storeOrder, storeRun, storeUsage, vms } from '#test/support/billing-world';
import { apiClient, type ApiClient } from '#test/support/http-client';

const DAY = 86_400_000;

/** `YYYY-MM` of the month `back` months before the one holding `at` (negative: after). */
function monthBefore(at: Date, back: number): { month: string; start: number; end: number; days: number } {
  const start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - back, 1);
  const end = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - back + 1, 1);
  return { month: new Date(start).toISOString().slice(0, 7), start, end, days: (end - start) / DAY };
}

const iso = (ms: number) => new Date(ms).toISOString();

let stack: LocalStack;
let api: ApiClient;
let raw: DynamoDBClient;
let table: TableClient;
let admin: string;
const key: Record<string, string> = {};
const id: Record<string, string> = {};

const PAST = monthBefore(new Date(), 3);
const NOW = monthBefore(new Date(), 0);
const FUTURE = monthBefore(new Date(), -1);

const BASIC: PlanT = { name: 'basic', monthlyFee: { amount: 2999, currency: 'EUR' }, vmHourPrice: { amount: 47, currency: 'EUR' } };
const PRO: PlanT = { name: 'pro', monthlyFee: { amount: 10_000, currency: 'EUR' }, vmHourPrice: { amount: 123, currency: 'EUR' }, trialDays: 3 };
const GLOBAL: PlanT = { name: 'global', monthlyFee: { amount: 1234, currency: 'USD' }, vmHourPrice: { amount: 9, currency: 'USD' } };

/** The past month's orders, as the test wrote them: what the plain computation reads. */
const orders: { id: string; customer: string; vendor: string; product: string; plan: PlanT; startsAt: string; endedAt?: string }[] = [];

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

async function user(name: string, role: 'user' | 'vendor') {
  const made = await must(api.post('/users', admin, { name, role }));
  [key[name], id[name]] = [made.apiKey, made.id];
}

/** An order, its run (ended) and the run's usage records, in the past month. */
async function pastOrder(
  name: string,
  customer: string,
  vendor: string,
  product: string,
  plan: PlanT,
  span: { startsAt: number; endedAt?: number },
  machines: [string, number, number][],
) {
  const order = { id: `ord_${name}_${Date.now()}`, customer: id[customer]!, vendor: id[vendor]!, product, plan, startsAt: iso(span.startsAt) };
  const o = { ...order, ...(span.endedAt ? { endedAt: iso(span.endedAt) } : {}) };
  orders.push(o);
  const run = `run_${name}_${Date.now()}`;
  await storeOrder(table, { ...o, run });
  await storeRun(table, { id: run, customer: o.customer, vendor: o.vendor, order: o.id, createdAt: iso(span.startsAt - 60_000) });
  const lifetimes = machines.map(([vm, from, to]) => [vm, iso(from), iso(to)] as [string, string, string]);
  await storeUsage(table, { id: run, customer: o.customer, order: o.id }, vms(...lifetimes), iso(Math.max(...machines.map(([, , to]) => to)) + 5_000));
}

/**
 * The lines a month's invoice should have for one order, computed plainly from the
 * usage records (GET /v1/usage) and the plan: the fee for each day of the month the
 * order was active after its trial days (day d of D costs ⌊fee·(d+1)/D⌋ − ⌊fee·d/D⌋),
 * and ⌊price × seconds / 3600⌋ for the seconds of its instances while it was active, after the trial.
 */
function expectedLines(order: (typeof orders)[number], records: any[], month: typeof PAST) {
  // Billing counts whole seconds: each instant rounded to the nearest one (the usage records' already are).
  const second = (at: string) => Math.round(Date.parse(at) / 1000) * 1000;
  const starts = second(order.startsAt);
  const ends = order.endedAt ? second(order.endedAt) : Infinity;
  const trialEnd = Math.floor(starts / DAY) * DAY + (order.plan.trialDays ?? 0) * DAY;
  const fee = BigInt(order.plan.monthlyFee.amount);
  const days = BigInt(month.days);
  let feeDays = 0;
  let feeAmount = 0n;
  for (let d = 0; d < month.days; d++) {
    const dayStart = month.start + d * DAY;
    if (dayStart < ends && dayStart + DAY > starts && dayStart >= trialEnd) {
      feeDays += 1;
      feeAmount += (fee * BigInt(d + 1)) / days - (fee * BigInt(d)) / days;
    }
  }
  const from = Math.max(month.start, starts, trialEnd);
  const to = Math.min(month.end, ends);
  let seconds = 0;
  for (const record of records.filter((r) => r.order === order.id)) {
    for (const i of record.instances) seconds += Math.max(0, Math.min(Date.parse(i.to), to) - Math.max(Date.parse(i.from), from)) / 1000;
  }
  const lines = [];
  if (feeDays) lines.push({ order: order.id, kind: 'fee', quantity: feeDays, amount: { amount: Number(feeAmount), currency: order.plan.monthlyFee.currency } });
  if (seconds) {
    const amount = Number((BigInt(order.plan.vmHourPrice.amount) * BigInt(seconds)) / 3600n);
    lines.push({ order: order.id, kind: 'vm-hours', quantity: seconds, amount: { amount, currency: order.plan.vmHourPrice.currency } });
  }
  return lines;
}

const linesOf = (invoice: any) => invoice.lines.map((l: any) => ({ order: l.order, kind: l.kind, quantity: l.quantity, amount: l.amount }));
const close = (month: string, who = admin) => api.post(`/billing/close?month=${encodeURIComponent(month)}`, who);
const invoicesOf = async (customer: string, month: string) => (await must(api.get(`/invoices?month=${month}`, key[customer]))).items as any[];
const hour = 3_600_000;

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  raw = new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS });
  table = { doc: documentClient(raw), name: LOCAL_TABLE };
  for (const name of ['v1', 'v2', 'v3']) await user(name, 'vendor');
  for (const name of ['c1', 'c2', 'c3', 'c4']) await user(name, 'user');
  await must(api.put('/billing/settings', admin, { feeBasisPoints: 1250 }));

  const { start, end } = PAST;
  // c1: v1's basic for the whole month (from the month before), two VMs, one across the month's start.
  await pastOrder('c1a', 'c1', 'v1', 'prd_site', BASIC, { startsAt: start - 20 * DAY }, [
    ['db.1', start - 2 * hour, start + 26 * hour + 1234],
    ['web.1', start + 5 * DAY + 17, start + 5 * DAY + 3 * hour + 59_000],
  ]);
  // c1: v2's global (USD), from the 10th at 09:30 to the 20th at 18:00.
  await pastOrder('c1b', 'c1', 'v2', 'prd_global', GLOBAL, { startsAt: start + 9 * DAY + 9.5 * hour, endedAt: start + 19 * DAY + 18 * hour }, [
    ['vm.1', start + 9 * DAY + 9.5 * hour, start + 19 * DAY + 18 * hour],
  ]);
  // c2: v1's pro from the 5th at 22:00 with 3 trial days (the 5th, 6th and 7th): usage during the trial and after.
  await pastOrder('c2a', 'c2', 'v1', 'prd_site', PRO, { startsAt: start + 4 * DAY + 22 * hour }, [
    ['app.1', start + 4 * DAY + 22 * hour, start + 8 * DAY + 2 * hour],
    ['app.2', start + 12 * DAY, end + 3 * hour],
  ]);
  // c4: an order still Pending: nothing to bill.
  await storeOrder(table, { id: `ord_c4_${Date.now()}`, customer: id.c4!, vendor: id.v1!, state: 'Pending' });
});

afterAll(async () => {
  raw?.destroy();
  await stack?.stop();
});

describe('closing a past month', () => {
  let first: any;
  let invoicesBefore: any[];

  beforeAll(async () => {
    const reply = await close(PAST.month);
    if (reply.status !== 201) throw new Error(`close: ${reply.status} ${reply.text}`);
    first = reply.body;
    invoicesBefore = (await must(api.get(`/invoices?month=${PAST.month}&limit=100`, admin))).items;
  });

  it('closes it, covering the whole month, with the fee set by the admin', () => {
    expect(first).toMatchObject({
      month: PAST.month,
      state: 'closed',
      coveredFrom: iso(PAST.start),
      coveredUntil: iso(PAST.end),
      feeBasisPoints: 1250,
      invoices: 2,
      vendors: 2,
    });
  });

  it('gives each customer an invoice whose lines equal the computation from the usage records and the plans’ prices', async () => {
    for (const customer of ['c1', 'c2']) {
      // Prepare: the customer's usage records (as an admin reads them) and orders.
      const records = (
        await must(api.get(`/usage?user=${id[customer]}&from=${iso(PAST.start - DAY).slice(0, 10)}&to=${iso(PAST.end).slice(0, 10)}&limit=100`, admin))
      ).items;
      const expected = orders
        .filter((o) => o.customer === id[customer])
        .sort((a, b) => a.id.localeCompare(b.id))
        .flatMap((o) => expectedLines(o, records, PAST));

      // Act
      const [invoice] = await invoicesOf(customer, PAST.month);
      const read = await must(api.get(`/invoices/${invoice.id}`, key[customer]));

      // Assess
      expect(linesOf(read)).toEqual(expected);
      expect(read).toMatchObject({ customer: id[customer], month: PAST.month, state: 'issued', version: 1 });
      const totals = new Map<string, number>();
      for (const line of expected) totals.set(line.amount.currency, (totals.get(line.amount.currency) ?? 0) + line.amount.amount);
      expect(read.totals).toEqual([...totals.entries()].sort().map(([currency, amount]) => ({ amount, currency })));
    }
  });

  it('charges no trial day: neither the fee nor the VM-hours of the 5th to the 7th', async () => {
    const [invoice] = await invoicesOf('c2', PAST.month);
    expect(invoice.lines.find((l: any) => l.kind === 'fee').quantity).toBe(PAST.days - 7);
    // app.1 from the 8th 00:00 (the trial's end) to the 9th 02:00; app.2 from the 13th to the month's end.
    expect(invoice.lines.find((l: any) => l.kind === 'vm-hours').quantity).toBe(26 * 3600 + (PAST.days - 12) * 86_400);
  });

  it('gives each vendor a report equal to the sum of their orders’ invoice lines minus the fee', async () => {
    // Prepare
    const lines = invoicesBefore.flatMap((i: any) => i.lines);
    for (const vendor of ['v1', 'v2']) {
      // Act
      const page = await must(api.get(`/vendor/reports?month=${PAST.month}`, key[vendor]));

      // Assess
      const mine = lines.filter((l: any) => l.vendor === id[vendor]);
      const byPlan = new Map<string, { product: string; plan: string; orders: Set<string>; revenue: { amount: number; currency: string } }>();
      for (const l of mine) {
        const k = `${l.product}|${l.plan}|${l.amount.currency}`;
        const sum = byPlan.get(k) ?? { product: l.product, plan: l.plan, orders: new Set<string>(), revenue: { amount: 0, currency: l.amount.currency } };
        sum.orders.add(l.order);
        sum.revenue.amount += l.amount.amount;
        byPlan.set(k, sum);
      }
      const revenue = mine.reduce((s: number, l: any) => s + l.amount.amount, 0);
      const fee = Math.floor((revenue * 1250) / 10_000);
      expect(page.items).toEqual([
        {
          vendor: id[vendor],
          month: PAST.month,
          feeBasisPoints: 1250,
          coveredFrom: iso(PAST.start),
          coveredUntil: iso(PAST.end),
          lines: [...byPlan.values()]
            .sort((a, b) => a.plan.localeCompare(b.plan))
            .map((s) => ({ product: s.product, plan: s.plan, orders: s.orders.size, revenue: s.revenue })),
          totals: [{ currency: mine[0].amount.currency, revenue, fee, net: revenue - fee }],
        },
      ]);
    }
  });

  it('changes nothing when closed again (200, the same close and invoices)', async () => {
    // Act
    const again = await close(PAST.month);
    const invoicesAfter = (await must(api.get(`/invoices?month=${PAST.month}&limit=100`, admin))).items;

    // Assess
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    expect(invoicesAfter).toEqual(invoicesBefore);
  });

  it('shows each customer only their own invoices (another’s is 404), admins anyone’s', async () => {
    // Prepare
    const [theirs] = await invoicesOf('c1', PAST.month);

    // Act
    const byOther = await api.get(`/invoices/${theirs.id}`, key.c2);
    const listOther = await api.get(`/invoices?customer=${id.c1}`, key.c2);
    const own = await invoicesOf('c2', PAST.month);
    const byAdmin = await must(api.get(`/invoices?customer=${id.c1}&month=${PAST.month}`, admin));
    const vendorAsCustomer = await must(api.get('/invoices', key.v1));

    // Assess
    expect(byOther.status).toBe(404);
    expect(byOther.contentType).toBe('application/problem+json');
    expect(listOther.status).toBe(403);
    expect(own.map((i) => i.customer)).toEqual([id.c2]);
    expect(byAdmin.items.map((i: any) => i.id)).toEqual([theirs.id]);
    expect(vendorAsCustomer.items).toEqual([]);
    expect(await invoicesOf('c4', PAST.month)).toEqual([]);
  });

  it('shows vendor reports only to their vendor and admins', async () => {
    // Act
    const other = await api.get(`/vendor/reports?month=${PAST.month}&vendor=${id.v2}`, key.v1);
    const customer = await api.get(`/vendor/reports?month=${PAST.month}`, key.c1);
    const adminWithout = await api.get(`/vendor/reports?month=${PAST.month}`, admin);
    const adminFor = await must(api.get(`/vendor/reports?month=${PAST.month}&vendor=${id.v2}`, admin));
    const empty = await must(api.get(`/vendor/reports?month=${PAST.month}`, key.v3));
    const all = await must(api.get('/vendor/reports', key.v2));

    // Assess
    expect(other.status).toBe(403);
    expect(customer.status).toBe(403);
    expect(adminWithout.status).toBe(400);
    expect(adminFor.items.map((r: any) => r.vendor)).toEqual([id.v2]);
    expect(empty.items).toEqual([expect.objectContaining({ vendor: id.v3, lines: [], totals: [] })]);
    expect(all.items.map((r: any) => r.month)).toContain(PAST.month);
  });

  it('lets an admin mark an invoice paid (once) and void another, which is kept', async () => {
    // Prepare
    const [c1] = await invoicesOf('c1', PAST.month);
    const [c2] = await invoicesOf('c2', PAST.month);

    // Act
    const byCustomer = await api.post(`/invoices/${c1.id}/pay`, key.c1);
    const paid = await api.post(`/invoices/${c1.id}/pay`, admin);
    const paidAgain = await api.post(`/invoices/${c1.id}/pay`, admin);
    const voidPaid = await api.post(`/invoices/${c1.id}/void`, admin);
    const voided = await api.post(`/invoices/${c2.id}/void`, admin);
    const missing = await api.post('/invoices/inv_000000_nobody/pay', admin);

    // Assess
    expect(byCustomer.status).toBe(403);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ state: 'paid', version: 2, lines: c1.lines, totals: c1.totals });
    expect(paidAgain.body).toEqual(paid.body);
    expect(voidPaid.status).toBe(409);
    expect(voided.body).toMatchObject({ state: 'void', version: 2, lines: c2.lines });
    expect((await invoicesOf('c2', PAST.month))[0].state).toBe('void');
    expect(missing.status).toBe(404);
  });
});

/** Polls an order until it is in one of `states`. */
async function waitForOrder(orderId: string, who: string, states: string[], timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await must(api.get(`/orders/${orderId}`, key[who]));
    if (states.includes(order.state)) return order;
    if (Date.now() > deadline) throw new Error(`order ${orderId} is ${order.state}, not ${states.join('/')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('closing the current month by hand', () => {
  /** c5's order through the orders API: launched on the vendor's sim account, Active, then cancelled (its run ended). */
  let apiOrder: any;
  const PER_SECOND: PlanT = { name: 'metered', monthlyFee: { amount: 4500, currency: 'EUR' }, vmHourPrice: { amount: 360_000, currency: 'EUR' } };

  /** c3's order of v3's basic from the start of this month, its run live with one VM since then (through the store). */
  const liveOrder = { order: `ord_now_${Date.now()}`, run: `run_now_${Date.now()}`, startsAt: NOW.start };

  beforeAll(async () => {
    const { order, run, startsAt } = liveOrder;
    await storeOrder(table, { id: order, customer: id.c3!, vendor: id.v3!, product: 'prd_now', plan: BASIC, startsAt: iso(startsAt), run });
    await storeRun(table, { id: run, customer: id.c3!, vendor: id.v3!, order, state: 'Ready', createdAt: iso(startsAt) });
    await storeInstances(table, run, vms(['vm.1', iso(startsAt)]));
    await user('v4', 'vendor');
    await user('c5', 'user');
    await must(api.post('/connectors', admin, { name: 'sim-billing-api', kind: 'sim', defaultQuotaVms: 5, maxIaasWorkers: 2, settings: { bootSeconds: 1 } }));
    const credential = await must(api.post('/credentials', key.v4, { connector: 'sim-billing-api', secrets: { apiKey: 'demo', apiSecret: 'not-a-secret' } }));
    await must(api.post('/images', key.v4, { name: 'base', cloudImageIds: { 'sim-billing-api': 'sim-ubuntu-22.04' } }));
    await must(api.post('/deployments', key.v4, { name: 'one-vm', nodes: [{ name: 'vm', image: 'base' }] }));
    const product = await must(
      api.post('/products', key.v4, { name: 'metered-vm', deployment: 'one-vm', connector: 'sim-billing-api', credential: credential.id, plans: [PER_SECOND] }),
    );
    await must(api.post(`/products/${product.id}/publish`, key.v4));
    const placed = await must(api.post('/orders', key.c5, { product: product.id, plan: 'metered' }));
    await waitForOrder(placed.id, 'c5', ['Active']);
    await new Promise((r) => setTimeout(r, 2_000));
    await must(api.post(`/orders/${placed.id}/cancel`, key.c5));
    apiOrder = await waitForOrder(placed.id, 'c5', ['Cancelled']);
    await api.waitForRun(apiOrder.run, key.c5!, ['Done', 'Aborted']);
  });

  it('bills an order placed through the API from the usage records its run left, which name the order', async () => {
    // Prepare: the records FinalizeRun wrote for the order's run.
    const records = (await must(api.get(`/usage?from=${iso(NOW.start).slice(0, 10)}&to=${iso(NOW.end - DAY).slice(0, 10)}`, key.c5))).items;

    // Act
    const closed = await must(close(NOW.month));
    const [invoice] = await invoicesOf('c5', NOW.month);

    // Assess: the plain computation over the month up to `coveredUntil` (the order ended before it).
    expect(records.map((r: any) => [r.run, r.order])).toEqual(records.map(() => [apiOrder.run, apiOrder.id]));
    expect(records.flatMap((r: any) => r.instances.map((i: any) => i.instance))).toContain('vm.1');
    const expected = expectedLines({ ...apiOrder, customer: id.c5!, plan: PER_SECOND }, records, { ...NOW, end: Date.parse(closed.coveredUntil) });
    expect(expected.map((l) => l.kind)).toEqual(['fee', 'vm-hours']);
    expect(linesOf(invoice)).toEqual(expected);
  });

  it('bills up to that moment, a live run’s VM from its create time, and a second close changes nothing', async () => {
    // Prepare: the month was closed by the test before (201 then), with c3's live order in it.
    const { order, startsAt } = liveOrder;
    const before = (await must(api.get(`/invoices?month=${NOW.month}&limit=100`, admin))).items;

    // Act
    const again = await close(NOW.month);
    const closed = again.body;

    // Assess: the fee for each day begun before `coveredUntil`, the VM's seconds up to it.
    const until = Date.parse(closed.coveredUntil);
    expect(until).toBeLessThanOrEqual(Date.now());
    expect(closed.coveredFrom).toBe(iso(NOW.start));
    const [invoice] = await invoicesOf('c3', NOW.month);
    const days = Math.ceil((until - NOW.start) / DAY) || 0;
    const seconds = (until - startsAt) / 1000;
    const fee = (BigInt(BASIC.monthlyFee.amount) * BigInt(days)) / BigInt(NOW.days);
    expect(linesOf(invoice)).toEqual([
      ...(days ? [{ order, kind: 'fee', quantity: days, amount: { amount: Number(fee), currency: 'EUR' } }] : []),
      ...(seconds ? [{ order, kind: 'vm-hours', quantity: seconds, amount: { amount: Math.floor((47 * seconds) / 3600), currency: 'EUR' } }] : []),
    ]);
    expect(invoice.coveredUntil).toBe(closed.coveredUntil);
    expect(again.status).toBe(200);
    expect((await must(api.get(`/invoices?month=${NOW.month}&limit=100`, admin))).items).toEqual(before);
  });
});

describe('bad input', () => {
  it.each([
    ['a month that has not started', () => FUTURE.month, 'query.month'],
    ['month 13', () => '2026-13', 'query.month'],
    ['a date, not a month', () => '2026-01-15', 'query.month'],
    ['no month', () => undefined, 'query.month'],
  ])('refuses %s with 400 problem+json, changing nothing', async (_, month, path) => {
    // Prepare
    const before = (await must(api.get('/invoices?limit=100', admin))).items;

    // Act
    const reply = month() === undefined ? await api.post('/billing/close', admin) : await close(month()!);

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.contentType).toBe('application/problem+json');
    expect(reply.body.errors.map((e: any) => e.path)).toEqual([path]);
    expect((await must(api.get('/invoices?limit=100', admin))).items).toEqual(before);
    expect((await must(api.get(`/vendor/reports?month=${FUTURE.month}&vendor=${id.v1}`, admin))).items).toEqual([]);
  });

  it('refuses a fee outside 0..10000 basis points and a stale version, and a close by a non-admin', async () => {
    // Act
    const tooHigh = await api.put('/billing/settings', admin, { feeBasisPoints: 10_001 });
    const stale = await api.put('/billing/settings', admin, { feeBasisPoints: 1000, version: 0 });
    const byVendor = await close(PAST.month, key.v1!);
    const settings = await must(api.get('/billing/settings', admin));

    // Assess
    expect(tooHigh.status).toBe(400);
    expect(stale.status).toBe(409);
    expect(byVendor.status).toBe(403);
    expect(settings).toMatchObject({ feeBasisPoints: 1250, version: 1 });
  });
});
