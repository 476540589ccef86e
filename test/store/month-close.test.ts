/**
 * Closing a month over DynamoDB Local: invoices per customer from the orders and the
 * usage records of their runs (and the instances of a run still live), reports per
 * vendor, idempotency (a second close, a close resumed after a crash), the current
 * month closed by hand and the rest billed by the next close, and the schedule.
 * Each test gets an empty table: orders without an end appear in every later month.
 */
import { PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeMonth } from '#functions/billing/close-month';
import { ValidationError } from '#functions/domain/errors';
import type { InvoiceT, VendorReportT } from '#functions/schemas/store-catalog';
import { closePreviousMonth } from '#functions/schedules/month-close';
import { getMonthClose, getVendorReport, putBillingSettings } from '#functions/store/billing';
import { getInvoice, listInvoices } from '#functions/store/invoices';
import { keys } from '#functions/store/keys';
import { listUsage } from '#functions/store/usage';
import type { TableClient } from '#functions/store/table-client';
import { EUR_PLAN, storeInstances, storeOrder, storeRun, storeUsage, vms } from '#test/support/billing-world';
import { rejectionOf } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;
let table: TableClient;

beforeAll(async () => {
  stack = await startStepStack();
});

beforeEach(async () => {
  table = await stack.useNewTable();
  stack.setNow(undefined);
});

afterAll(async () => {
  await stack?.stop();
});

const USD_PLAN = { name: 'pro', monthlyFee: { amount: 999, currency: 'USD' }, vmHourPrice: { amount: 7, currency: 'USD' } };

/** Every item of the table, sorted: what "nothing changed" compares. */
async function everything(): Promise<Record<string, unknown>[]> {
  const out = await table.doc.send(new ScanCommand({ TableName: table.name, ConsistentRead: true }));
  return (out.Items ?? []).sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

const invoicesOf = async (month: string) => (await listInvoices(table, { month }, { limit: 100 })).items;

/** The table with `send` wrapped (the same client class, which paginators check). */
function tableWith(wrap: (command: unknown, send: (command: unknown) => Promise<unknown>) => Promise<unknown>): TableClient {
  const send = table.doc.send.bind(table.doc) as (command: unknown) => Promise<unknown>;
  const doc: TableClient['doc'] = Object.create(table.doc);
  doc.send = ((command: unknown) => wrap(command, send)) as TableClient['doc']['send'];
  return { name: table.name, doc };
}

/** April 2031: two vendors, three customers (one whose order never became Active). */
async function aprilWorld() {
  await storeOrder(table, { id: 'ord_1', customer: 'usr_c1', vendor: 'usr_v1', product: 'prd_1', startsAt: '2031-03-01T09:00:00.000Z', run: 'run_1' });
  await storeRun(table, { id: 'run_1', customer: 'usr_c1', vendor: 'usr_v1', order: 'ord_1', createdAt: '2031-03-31T21:00:00.000Z' });
  await storeUsage(
    table,
    { id: 'run_1', customer: 'usr_c1', order: 'ord_1' },
    vms(['db.1', '2031-03-31T22:00:00.000Z', '2031-04-02T02:00:00.000Z'], ['web.1', '2031-04-10T00:00:00.000Z', '2031-04-10T00:30:00.000Z', 'm1.large']),
    '2031-04-10T00:31:00.000Z',
  );
  await storeOrder(table, {
    id: 'ord_2',
    customer: 'usr_c2',
    vendor: 'usr_v1',
    product: 'prd_1',
    startsAt: '2031-04-16T08:00:00.000Z',
    endedAt: '2031-04-20T12:00:00.000Z',
    run: 'run_2',
  });
  await storeRun(table, { id: 'run_2', customer: 'usr_c2', vendor: 'usr_v1', order: 'ord_2', createdAt: '2031-04-16T07:58:00.000Z' });
  await storeUsage(
    table,
    { id: 'run_2', customer: 'usr_c2', order: 'ord_2' },
    vms(['vm.1', '2031-04-16T08:00:00.000Z', '2031-04-20T12:00:00.000Z']),
    '2031-04-20T12:01:00.000Z',
  );
  await storeOrder(table, { id: 'ord_3', customer: 'usr_c1', vendor: 'usr_v2', product: 'prd_9', plan: USD_PLAN, startsAt: '2031-02-11T00:00:00.000Z' });
  await storeOrder(table, { id: 'ord_4', customer: 'usr_c3', vendor: 'usr_v1', state: 'Failed', endedAt: '2031-04-05T00:00:00.000Z' });
  await putBillingSettings(table, 1500, undefined, new Date('2031-01-01T00:00:00Z'));
}

describe('closeMonth', () => {
  it('issues each customer an invoice with a line per order and charge, and each vendor a report of revenue minus the fee', async () => {
    // Prepare
    await aprilWorld();
    stack.setNow(new Date('2031-05-01T00:15:00.000Z'));

    // Act
    const { close, alreadyClosed } = await closeMonth(stack.deps, '2031-04', stack.deps.now());

    // Assess
    const [c1, c2] = (await invoicesOf('2031-04')).sort((a, b) => a.customer.localeCompare(b.customer)) as [InvoiceT, InvoiceT];
    // ord_1: the whole month; db.1 from April 1st 00:00 to the 2nd 02:00 (26 h) and web.1 30 min: 95,400 s × 36/h = 954.
    expect(c1.lines.map((l) => [l.order, l.kind, l.quantity, l.amount.amount, l.amount.currency])).toEqual([
      ['ord_1', 'fee', 30, 3000, 'EUR'],
      ['ord_1', 'vm-hours', 95_400, 954, 'EUR'],
      ['ord_3', 'fee', 30, 999, 'USD'],
    ]);
    expect(c1.totals).toEqual([
      { amount: 3954, currency: 'EUR' },
      { amount: 999, currency: 'USD' },
    ]);
    // ord_2: the 16th to the 20th (5 of 30 days: 500); 4 days 4 hours of VM (360,000 s: 3,600).
    expect(c2.lines.map((l) => [l.order, l.kind, l.quantity, l.amount.amount])).toEqual([
      ['ord_2', 'fee', 5, 500],
      ['ord_2', 'vm-hours', 360_000, 3600],
    ]);
    expect(c1).toMatchObject({ state: 'issued', month: '2031-04', issuedAt: '2031-05-01T00:15:00.000Z', coveredUntil: '2031-05-01T00:00:00.000Z', version: 1 });
    // usr_c3's order never became Active: no invoice.
    expect((await listInvoices(table, { customer: 'usr_c3' }, { limit: 10 })).items).toEqual([]);
    // Reports: 15 % of 8,054 is 1,208.1 → 1,208; of 999, 149.85 → 149.
    expect(await getVendorReport(table, 'usr_v1', '2031-04')).toMatchObject({
      feeBasisPoints: 1500,
      lines: [{ product: 'prd_1', plan: 'basic', orders: 2, revenue: { amount: 8054, currency: 'EUR' } }],
      totals: [{ currency: 'EUR', revenue: 8054, fee: 1208, net: 6846 }],
    });
    expect((await getVendorReport(table, 'usr_v2', '2031-04'))?.totals).toEqual([{ currency: 'USD', revenue: 999, fee: 149, net: 850 }]);
    expect(alreadyClosed).toBe(false);
    expect(close).toMatchObject({
      state: 'closed',
      invoices: 2,
      vendors: 2,
      coveredFrom: '2031-04-01T00:00:00.000Z',
      totals: [
        { amount: 8054, currency: 'EUR' },
        { amount: 999, currency: 'USD' },
      ],
    });
  });

  it('changes nothing when the month is closed again', async () => {
    // Prepare
    await aprilWorld();
    stack.setNow(new Date('2031-05-01T00:15:00.000Z'));
    const first = await closeMonth(stack.deps, '2031-04', stack.deps.now());
    const before = await everything();
    stack.setNow(new Date('2031-05-03T10:00:00.000Z'));

    // Act
    const again = await closeMonth(stack.deps, '2031-04', stack.deps.now());

    // Assess
    expect(again).toEqual({ close: first.close, alreadyClosed: true });
    expect(await everything()).toEqual(before);
  });

  it('resumed after a crash, issues the same invoices once, with the span and fee the first attempt fixed', async () => {
    // Prepare: the first attempt dies on its second invoice; then the fee changes.
    await aprilWorld();
    stack.setNow(new Date('2031-05-01T00:15:00.000Z'));
    let invoicePuts = 0;
    const crashing = tableWith(async (command, send) => {
      if (command instanceof PutCommand && String(command.input.Item?.pk).startsWith('INVOICE#') && ++invoicePuts === 2) throw new Error('the close died');
      return send(command);
    });
    await rejectionOf(closeMonth({ ...stack.deps, table: crashing }, '2031-04', stack.deps.now(), { concurrency: 1 }));
    const half = await invoicesOf('2031-04');
    await putBillingSettings(table, 3000, undefined, new Date('2031-05-01T01:00:00Z'));
    stack.setNow(new Date('2031-05-01T02:00:00.000Z'));

    const usageRead: string[] = [];
    const watched = tableWith(async (command, send) => {
      const pk = (command as { input?: { ExpressionAttributeValues?: Record<string, unknown> } }).input?.ExpressionAttributeValues?.[':pk'];
      if (typeof pk === 'string' && pk.startsWith('USAGE#')) usageRead.push(pk);
      return send(command);
    });

    // Act
    const { close } = await closeMonth({ ...stack.deps, table: watched }, '2031-04', stack.deps.now());

    // Assess: the customer invoiced before the crash is not computed again.
    expect(usageRead).toEqual(['USAGE#usr_c2']);
    const invoices = await invoicesOf('2031-04');
    expect(half).toHaveLength(1);
    expect(invoices).toHaveLength(2);
    expect(invoices).toContainEqual(half[0]);
    expect(invoices.every((i) => i.issuedAt === '2031-05-01T00:15:00.000Z')).toBe(true);
    expect(close).toMatchObject({ state: 'closed', feeBasisPoints: 1500, invoices: 2 });
    const report = (await getVendorReport(table, 'usr_v1', '2031-04')) as VendorReportT;
    const revenue = invoices
      .flatMap((i) => i.lines)
      .filter((l) => l.vendor === 'usr_v1')
      .reduce((s, l) => s + l.amount.amount, 0);
    expect(report.totals).toEqual([
      { currency: 'EUR', revenue, fee: Math.floor((revenue * 1500) / 10_000), net: revenue - Math.floor((revenue * 1500) / 10_000) },
    ]);
  });

  it('closes the current month up to now, counting a live run from its instances, and the next close bills the rest: no second twice or lost', async () => {
    // Prepare: an order from June 10th, its run live with one VM since the 14th at noon.
    await storeOrder(table, { id: 'ord_live', customer: 'usr_c', vendor: 'usr_v', startsAt: '2031-06-10T00:00:00.000Z', run: 'run_live' });
    await storeRun(table, { id: 'run_live', customer: 'usr_c', vendor: 'usr_v', order: 'ord_live', state: 'Ready', createdAt: '2031-06-14T11:59:00.000Z' });
    await storeInstances(table, 'run_live', vms(['vm.1', '2031-06-14T12:00:00.000Z']));
    stack.setNow(new Date('2031-06-15T12:00:00.250Z'));

    // Act 1: an admin closes June by hand.
    const june = await closeMonth(stack.deps, '2031-06', stack.deps.now());

    // Assess 1: up to 12:00:00 (the second the close began): days 10..15 and 24 h of VM.
    const [early] = await invoicesOf('2031-06');
    expect(june.close).toMatchObject({ coveredFrom: '2031-06-01T00:00:00.000Z', coveredUntil: '2031-06-15T12:00:00.000Z' });
    expect(early!.lines.map((l) => [l.month, l.kind, l.quantity, l.amount.amount])).toEqual([
      ['2031-06', 'fee', 6, 600],
      ['2031-06', 'vm-hours', 86_400, 864],
    ]);

    // Prepare 2: the run ends on the 20th at noon; its records cover the VM's whole life.
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.run('run_live'),
        UpdateExpression: 'SET #state = :done',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'Done' },
      }),
    );
    await storeUsage(
      table,
      { id: 'run_live', customer: 'usr_c', order: 'ord_live' },
      vms(['vm.1', '2031-06-14T12:00:00.000Z', '2031-06-20T12:00:00.000Z']),
      '2031-06-20T12:00:05.000Z',
    );
    stack.setNow(new Date('2031-07-01T00:15:00.000Z'));
    const scheduled = await closePreviousMonth(stack.deps);
    stack.setNow(new Date('2031-08-01T00:15:00.000Z'));

    // Act 2: July's close.
    const july = await closeMonth(stack.deps, '2031-07', stack.deps.now());

    // Assess 2: June's rest (days 16..30, the VM's other 5 days) goes on July's invoice, then July itself.
    const [late] = await invoicesOf('2031-07');
    expect(scheduled).toEqual({ month: '2031-06', closed: false });
    expect(july.close.coveredFrom).toBe('2031-06-15T12:00:00.000Z');
    expect(late!.lines.map((l) => [l.month, l.kind, l.quantity, l.amount.amount])).toEqual([
      ['2031-06', 'fee', 15, 1500],
      ['2031-06', 'vm-hours', 432_000, 4320],
      ['2031-07', 'fee', 31, 3000],
    ]);
    // Every second of the VM's life (the usage records' total) billed once; every June day once.
    const records = (await listUsage(table, 'usr_c', { from: '2031-06-01', to: '2031-06-30' }, { limit: 100 })).items;
    const vmLines = [early!, late!].flatMap((i) => i.lines).filter((l) => l.kind === 'vm-hours' && l.month === '2031-06');
    expect(vmLines.reduce((s, l) => s + l.quantity, 0)).toBe(records.reduce((s, r) => s + r.vmSeconds, 0));
    expect(vmLines.reduce((s, l) => s + l.amount.amount, 0)).toBe(Math.floor((36 * 6 * 86_400) / 3600));
    const juneFee = [early!, late!].flatMap((i) => i.lines).filter((l) => l.kind === 'fee' && l.month === '2031-06');
    expect(juneFee.reduce((s, l) => s + l.quantity, 0)).toBe(21);
  });

  it('counts a live run once even when a crashed FinalizeRun left its records', async () => {
    // Prepare: records written up to 10:00, the run still Finalizing, its VM terminated at 10:00.
    await storeOrder(table, { id: 'ord_f', customer: 'usr_f', vendor: 'usr_v', startsAt: '2031-09-01T00:00:00.000Z', run: 'run_f' });
    await storeRun(table, { id: 'run_f', customer: 'usr_f', vendor: 'usr_v', order: 'ord_f', state: 'Finalizing', createdAt: '2031-09-02T07:00:00.000Z' });
    const machines = vms(['vm.1', '2031-09-02T08:00:00.000Z', '2031-09-02T10:00:00.000Z']);
    await storeInstances(table, 'run_f', machines);
    await storeUsage(table, { id: 'run_f', customer: 'usr_f', order: 'ord_f' }, machines, '2031-09-02T10:00:01.000Z');
    stack.setNow(new Date('2031-10-01T00:15:00.000Z'));

    // Act
    await closeMonth(stack.deps, '2031-09', stack.deps.now());

    // Assess
    const [invoice] = await invoicesOf('2031-09');
    expect(invoice!.lines.find((l) => l.kind === 'vm-hours')?.quantity).toBe(7200);
  });

  it('refuses a malformed month and one that has not started, writing nothing', async () => {
    // Prepare
    await aprilWorld();
    stack.setNow(new Date('2031-05-10T00:00:00.000Z'));
    const before = await everything();

    // Act
    const errors = await Promise.all(['2031-06', '2031-13', '31-04', '2031-4'].map((month) => rejectionOf(closeMonth(stack.deps, month, stack.deps.now()))));

    // Assess
    expect(errors.every((e) => e instanceof ValidationError)).toBe(true);
    expect((errors[0] as ValidationError).errors).toEqual([{ path: 'query.month', message: '2031-06 has not started yet (it is 2031-05)' }]);
    expect(await everything()).toEqual(before);
  });

  it('charges nothing on trial days: a customer with nothing charged gets no invoice', async () => {
    // Prepare: a trial covering the whole window.
    await storeOrder(table, { id: 'ord_t', customer: 'usr_t', vendor: 'usr_v', plan: { ...EUR_PLAN, trialDays: 30 }, startsAt: '2031-11-05T00:00:00.000Z' });
    stack.setNow(new Date('2031-12-01T00:15:00.000Z'));

    // Act
    const { close } = await closeMonth(stack.deps, '2031-11', stack.deps.now());

    // Assess
    expect(close).toMatchObject({ state: 'closed', invoices: 0, vendors: 0, totals: [] });
    expect(await invoicesOf('2031-11')).toEqual([]);
  });
});

describe('the month-close schedule', () => {
  it('closes the previous month once; a later tick reads the marker and nothing else', async () => {
    // Prepare
    await aprilWorld();
    stack.setNow(new Date('2031-05-01T00:15:00.000Z'));
    const first = await closePreviousMonth(stack.deps);
    let commands = 0;
    const counted = tableWith((command, send) => {
      commands++;
      return send(command);
    });

    // Act
    const second = await closePreviousMonth({ ...stack.deps, table: counted });

    // Assess
    expect(first).toEqual({ month: '2031-04', closed: true, invoices: 2 });
    expect(second).toEqual({ month: '2031-04', closed: false });
    expect(commands).toBe(1);
    expect((await getMonthClose(table, '2031-04'))?.state).toBe('closed');
    expect(await getInvoice(table, 'inv_203104_usr_c1')).toBeDefined();
  });
});
