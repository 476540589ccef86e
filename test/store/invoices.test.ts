/**
 * Billing's store over DynamoDB Local: an invoice is written once and, once issued,
 * changes only to paid or void (each conditional, repeats harmless); usage records
 * are written once per interval; the platform fee setting honours its version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '#functions/domain/errors';
import { usageTotals } from '#functions/domain/usage';
import type { InvoiceT } from '#functions/schemas/store-catalog';
import { getBillingSettings, putBillingSettings } from '#functions/store/billing';
import { getInvoice, listInvoices, putInvoice, settleInvoice } from '#functions/store/invoices';
import type { TableClient } from '#functions/store/table-client';
import { listUsage, meteringInstant, putUsageRecords } from '#functions/store/usage';
import { storeRun, vms } from '#test/support/billing-world';
import { rejectionOf } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;
let table: TableClient;

beforeAll(async () => {
  stack = await startStepStack();
  table = stack.deps.table;
});

afterAll(async () => {
  await stack?.stop();
});

let n = 0;
const invoice = (over: Partial<InvoiceT> = {}): InvoiceT => {
  const customer = over.customer ?? `usr_inv${++n}`;
  return {
    id: `inv_203101_${customer}`,
    customer,
    month: '2031-01',
    state: 'issued',
    lines: [
      {
        order: 'ord_1',
        product: 'prd_1',
        plan: 'basic',
        vendor: 'usr_v',
        month: '2031-01',
        kind: 'fee',
        description: 'fee',
        quantity: 31,
        amount: { amount: 3000, currency: 'EUR' },
      },
    ],
    totals: [{ amount: 3000, currency: 'EUR' }],
    coveredFrom: '2031-01-01T00:00:00.000Z',
    coveredUntil: '2031-02-01T00:00:00.000Z',
    issuedAt: '2031-02-01T00:15:00.000Z',
    version: 1,
    ...over,
  };
};

describe('invoices', () => {
  it('are written once: a second put finds the first, unchanged', async () => {
    // Prepare
    const first = invoice();
    await putInvoice(table, first);

    // Act
    const second = await putInvoice(table, { ...first, totals: [{ amount: 1, currency: 'EUR' }] });

    // Assess
    expect(second).toEqual({ invoice: first, written: false });
    expect(await getInvoice(table, first.id)).toEqual(first);
  });

  it('become paid once; paying again changes nothing; a paid invoice cannot be voided', async () => {
    // Prepare
    const issued = (await putInvoice(table, invoice())).invoice;

    // Act
    const paid = await settleInvoice(table, issued.id, 'paid', new Date('2031-02-03T00:00:00Z'));
    const again = await settleInvoice(table, issued.id, 'paid', new Date('2031-02-04T00:00:00Z'));
    const voided = await rejectionOf(settleInvoice(table, issued.id, 'void', new Date('2031-02-05T00:00:00Z')));

    // Assess
    expect(paid).toEqual({ invoice: { ...issued, state: 'paid', paidAt: '2031-02-03T00:00:00.000Z', version: 2 }, changed: true });
    expect(again).toEqual({ invoice: paid!.invoice, changed: false });
    expect(voided).toBeInstanceOf(ConflictError);
    expect(await getInvoice(table, issued.id)).toEqual(paid!.invoice);
  });

  it('are kept when voided, lines and all', async () => {
    // Prepare
    const issued = (await putInvoice(table, invoice())).invoice;

    // Act
    const voided = await settleInvoice(table, issued.id, 'void', new Date('2031-02-03T00:00:00Z'));

    // Assess
    expect(voided?.invoice).toEqual({ ...issued, state: 'void', voidedAt: '2031-02-03T00:00:00.000Z', version: 2 });
    expect(await rejectionOf(settleInvoice(table, issued.id, 'paid', new Date()))).toBeInstanceOf(ConflictError);
    expect(await settleInvoice(table, 'inv_missing', 'paid', new Date())).toBeUndefined();
  });

  it('are listed per customer and month, or all of a month', async () => {
    // Prepare
    const customer = `usr_list${++n}`;
    const jan = (await putInvoice(table, invoice({ customer }))).invoice;
    const feb = (await putInvoice(table, invoice({ customer, id: `inv_203102_${customer}`, month: '2031-02' }))).invoice;
    const other = (await putInvoice(table, invoice({ month: '2031-03', id: 'inv_203103_usr_other', customer: 'usr_other' }))).invoice;

    // Act
    const mine = await listInvoices(table, { customer }, { limit: 10 });
    const myFeb = await listInvoices(table, { customer, month: '2031-02' }, { limit: 10 });
    const march = await listInvoices(table, { month: '2031-03' }, { limit: 10 });

    // Assess
    expect(mine.items).toEqual([jan, feb]);
    expect(myFeb.items).toEqual([feb]);
    expect(march.items).toEqual([other]);
  });
});

describe('usage records', () => {
  it('are written once per interval: a repeat with other values leaves the first', async () => {
    // Prepare
    const run = { id: 'run_once', owner: 'usr_once', sponsor: { order: 'ord_once' } };
    const machines = vms(['vm.1', '2031-03-01T10:00:00.000Z']);
    await putUsageRecords(table, run, usageTotals(machines, new Date('2031-03-01T10:10:00Z')));

    // Act
    await putUsageRecords(table, run, usageTotals(machines, new Date('2031-03-01T20:00:00Z')));

    // Assess
    const records = (await listUsage(table, 'usr_once', { from: '2031-03-01', to: '2031-03-31' }, { limit: 10 })).items;
    expect(records.map((r) => [r.day, r.vmSeconds, r.order])).toEqual([['2031-03-01', 600, 'ord_once']]);
  });

  it('count a VM still alive up to the instant the first attempt fixed on the run', async () => {
    // Prepare
    await storeRun(table, {
      id: 'run_instant',
      customer: 'usr_i',
      vendor: 'usr_v',
      order: 'ord_i',
      state: 'Finalizing',
      createdAt: '2031-03-01T00:00:00.000Z',
    });

    // Act
    const first = await meteringInstant(table, 'run_instant', new Date('2031-03-01T10:00:00Z'));
    const retry = await meteringInstant(table, 'run_instant', new Date('2031-03-01T11:00:00Z'));

    // Assess
    expect([first.toISOString(), retry.toISOString()]).toEqual(['2031-03-01T10:00:00.000Z', '2031-03-01T10:00:00.000Z']);
  });
});

describe('billing settings', () => {
  it('start at no fee, and a change carrying a stale version is refused', async () => {
    // Act
    const initial = await getBillingSettings(table);
    const set = await putBillingSettings(table, 1500, 0, new Date('2031-01-01T00:00:00Z'));
    const stale = await rejectionOf(putBillingSettings(table, 2000, 0, new Date('2031-01-02T00:00:00Z')));
    const next = await putBillingSettings(table, 2000, 1, new Date('2031-01-03T00:00:00Z'));

    // Assess
    expect(initial).toEqual({ feeBasisPoints: 0, version: 0 });
    expect(set).toEqual({ feeBasisPoints: 1500, version: 1, updatedAt: '2031-01-01T00:00:00.000Z' });
    expect(stale).toBeInstanceOf(ConflictError);
    expect(next).toEqual({ feeBasisPoints: 2000, version: 2, updatedAt: '2031-01-03T00:00:00.000Z' });
    expect(await getBillingSettings(table)).toEqual(next);
  });
});
