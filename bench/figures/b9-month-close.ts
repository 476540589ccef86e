/**
 * B9 — the cost of closing a month for 10,000 orders: 2,500 customers with 4 orders
 * each, from 50 vendors, every order Active all month with a run; 9 in 10 runs ended
 * (their usage records, one VM over two days, written as FinalizeRun writes them),
 * 1 in 10 still live (its VM counted from its instance). Seeded through the product's
 * own store functions into a capturing client, then BatchWriteItem. Counted: the
 * close's table commands (on the handlers' counted client), the items and capacity
 * units DynamoDB Local reports, the wall time; then a second close (already closed).
 * The AWS line prices them on demand ($1.25 per million write request units, $0.25 per
 * million read request units) plus the Lambda time at 512 MB ($0.0000166667 per GB-s).
 */
import { appDeps } from '#functions/commons/deps';
import { closeMonth } from '#functions/billing/close-month';
import { openOrderIndex } from '#functions/store/orders';
import { storeInstances, storeOrder, storeRun, storeUsage, vms } from '#test/support/billing-world';
import type { PlanT } from '#functions/schemas/store-catalog';
import type { BenchStack } from '../support/bench-stack';
import { ms, pass, type FigureResult } from '../support/report';
import { batchWrite, ItemCapture } from '../support/seed';
import { round } from '../support/stats';
import { inScope, summarize, countBy } from '../support/table-counter';

export const B9 = { orders: 10_000, ordersPerCustomer: 4, vendors: 50, liveEvery: 10, lambdaGb: 0.5 } as const;

/** On-demand prices (us-east-1). */
const PRICE = { writeUnit: 1.25 / 1e6, readUnit: 0.25 / 1e6, gbSecond: 0.0000166667 } as const;

const PLANS: PlanT[] = [
  { name: 'basic', monthlyFee: { amount: 2999, currency: 'EUR' }, vmHourPrice: { amount: 47, currency: 'EUR' } },
  { name: 'pro', monthlyFee: { amount: 9900, currency: 'USD' }, vmHourPrice: { amount: 120, currency: 'USD' }, trialDays: 7 },
];

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const dollars = (value: number) => `$${value.toFixed(value < 0.01 ? 5 : 4)}`;

/** The month before last (the bench stack's schedules never fire, so nothing else closes it). */
function benchMonth(now: Date) {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1);
  return { month: iso(start).slice(0, 7), start };
}

export async function measureB9(b: BenchStack): Promise<Omit<FigureResult, 'seconds'>> {
  const { month, start } = benchMonth(new Date());
  const capture = new ItemCapture(b.raw.name);
  const customers = B9.orders / B9.ordersPerCustomer;
  const seedStarted = performance.now();
  for (let i = 0; i < B9.orders; i++) {
    const customer = `usr_bc${String(i % customers).padStart(5, '0')}`;
    const vendor = `usr_bv${String(i % B9.vendors).padStart(3, '0')}`;
    const [order, run] = [`ord_b9${String(i).padStart(6, '0')}`, `run_b9${String(i).padStart(6, '0')}`];
    const startsAt = iso(start - 3 * DAY + (i % 1000) * 1000);
    const live = i % B9.liveEvery === 0;
    await storeOrder(capture.table, { id: order, customer, vendor, product: `prd_b9${i % 200}`, plan: PLANS[i % 2]!, startsAt, run });
    await storeRun(capture.table, { id: run, customer, vendor, order, state: live ? 'Ready' : 'Done', createdAt: startsAt });
    const day = start + (i % 27) * DAY + 3_600_000;
    const machine = vms(['vm.1', iso(day), live ? undefined : iso(day + DAY + 1800_000)]);
    if (live) await storeInstances(capture.table, run, machine);
    else await storeUsage(capture.table, { id: run, customer, order }, machine, iso(day + DAY + 1860_000));
  }
  // storeOrder's own index update does not reach the capture: what changeOrder sets when an order becomes Active.
  const items = capture
    .drain()
    .map((item) =>
      String(item.pk).startsWith('ORDER#') && item.sk === 'META' ? { ...item, ...openOrderIndex(String(item.startsAt), String(item.id)) } : item,
    );
  await batchWrite(b.raw, items);
  const seeding = { items: items.length, seconds: round((performance.now() - seedStarted) / 1000, 1) };

  const deps = appDeps();
  const close = async () => {
    const mark = b.tableOps.mark();
    const started = performance.now();
    const outcome = await inScope('month-close', () => closeMonth(deps, month, new Date()));
    const wallMs = performance.now() - started;
    const ops = b.tableOps.since(mark).filter((o) => o.scope === 'month-close');
    return { outcome, wallMs, ...summarize(ops), commandsByKind: countBy(ops, (o) => `${o.command} ${o.target}`) };
  };
  const first = await close();
  const second = await close();

  const vendors = first.outcome.close.vendors ?? 0;
  const invoices = first.outcome.close.invoices ?? 0;
  const cost = {
    writes: first.writeUnits * PRICE.writeUnit,
    reads: first.readUnits * PRICE.readUnit,
    lambda: (first.wallMs / 1000) * B9.lambdaGb * PRICE.gbSecond,
  };
  const total = cost.writes + cost.reads + cost.lambda;
  const size = `${B9.orders.toLocaleString('en')} orders (${customers.toLocaleString('en')} customers, ${B9.vendors} vendors, ${B9.orders / B9.liveEvery} runs live)`;
  return {
    id: 'B9',
    title: 'month close',
    rows: [
      {
        id: 'B9',
        figure: `close a month, ${size}`,
        measured: `${ms(first.wallMs)}; ${first.readCommands} reads (${first.itemsRead.toLocaleString('en')} items, ${first.readUnits} RRU), ${first.writeCommands} writes (${first.itemsWritten} items, ${first.writeUnits} WRU); ${invoices} invoices, ${vendors} reports`,
        reference: `closing it again: ${second.readCommands} read, ${second.writeCommands} writes, ${ms(second.wallMs)}`,
        budget: '≤ 1 write per invoice and per report + 2; again: 1 read, 0 writes',
        status: pass(
          first.itemsWritten <= invoices + vendors + 2 &&
            invoices === customers &&
            second.readCommands === 1 &&
            second.writeCommands === 0 &&
            second.outcome.alreadyClosed,
        ),
      },
      {
        id: 'B9',
        figure: 'the same close in AWS, on paper (on demand, Lambda at 512 MB for the time measured here)',
        measured: `${dollars(total)} per month closed: writes ${dollars(cost.writes)}, reads ${dollars(cost.reads)}, Lambda ${dollars(cost.lambda)}`,
        reference: `${dollars((total * 1000) / B9.orders)} per 1,000 orders`,
        budget: '—',
        status: 'INFO',
      },
    ],
    details: {
      month,
      seeding,
      first: { ...first, outcome: first.outcome.close },
      second: { ...second, outcome: second.outcome },
      prices: PRICE,
      cost,
    },
  };
}
