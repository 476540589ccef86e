/**
 * What billing reads, written the way the product writes it: orders in the orders'
 * own format and billing indexes (putOrder, then what changeOrder sets when an order
 * becomes Active or ends), order runs with their sponsor, the usage records FinalizeRun
 * writes (putUsageRecords over usageTotals), and the instances of a run still live.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { usageTotals, type MeteredVm } from '#functions/domain/usage';
import type { OrderStateT, PlanT } from '#functions/schemas/store-catalog';
import { keys } from '#functions/store/keys';
import { endedOrderIndex, openOrderIndex, putOrder, type OrderDoc } from '#functions/store/orders';
import { putInstanceIntent, putRun } from '#functions/store/runs';
import type { TableClient } from '#functions/store/table-client';
import { putUsageRecords } from '#functions/store/usage';

export const EUR_PLAN: PlanT = { name: 'basic', monthlyFee: { amount: 3000, currency: 'EUR' }, vmHourPrice: { amount: 36, currency: 'EUR' } };

export interface SeedOrder {
  id: string;
  customer: string;
  vendor: string;
  product?: string;
  plan?: PlanT;
  /** @default 'Active', or 'Cancelled' with an `endedAt` */
  state?: OrderStateT;
  startsAt?: string;
  endsAt?: string;
  endedAt?: string;
  run?: string;
}

/** Stores an order as placed and, when it became Active (`startsAt`), as its moves leave it in billing's indexes. */
export async function storeOrder(table: TableClient, seed: SeedOrder): Promise<OrderDoc> {
  const state = seed.state ?? (seed.endedAt ? 'Cancelled' : 'Active');
  const createdAt = seed.startsAt ?? '2020-01-01T00:00:00.000Z';
  const order: OrderDoc = {
    id: seed.id,
    owner: seed.customer,
    customer: seed.customer,
    vendor: seed.vendor,
    product: seed.product ?? 'prd_bench',
    productVersion: 1,
    plan: seed.plan ?? EUR_PLAN,
    state,
    attempts: 1,
    createdAt,
    updatedAt: seed.endedAt ?? createdAt,
    version: 1,
    steps: [
      { at: createdAt, state: 'Pending', message: 'order placed' },
      ...(seed.startsAt ? [{ at: seed.startsAt, state: 'Active' as const, message: 'the run is Ready' }] : []),
      ...(state !== 'Active' && seed.endedAt ? [{ at: seed.endedAt, state, message: 'ended' }] : []),
    ],
    ...(seed.run ? { run: seed.run } : {}),
    ...(seed.startsAt ? { startsAt: seed.startsAt } : {}),
    ...(seed.endsAt ? { endsAt: seed.endsAt } : {}),
    ...(seed.endedAt ? { endedAt: seed.endedAt } : {}),
  };
  if (!(await putOrder(table, order))) throw new Error(`order ${seed.id} exists`);
  const index = !seed.startsAt
    ? undefined
    : seed.endedAt
      ? endedOrderIndex(seed.endedAt, seed.id)
      : state === 'Active'
        ? openOrderIndex(seed.startsAt, seed.id)
        : undefined;
  if (index) {
    const fields = Object.entries(index);
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.order(seed.id),
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, v], i) => [`:f${i}`, v])),
      }),
    );
  }
  return order;
}

export interface SeedRun {
  id: string;
  customer: string;
  vendor: string;
  order: string;
  /** @default 'Done' */
  state?: 'Ready' | 'Finalizing' | 'Done' | 'Aborted';
  createdAt: string;
}

/** An order's run (owned by the customer, sponsored by the vendor). */
export async function storeRun(table: TableClient, seed: SeedRun): Promise<void> {
  await putRun(table, {
    id: seed.id,
    owner: seed.customer,
    deployment: 'dep_billing',
    deploymentVersion: 1,
    connector: 'sim-billing',
    nodes: {},
    state: seed.state ?? 'Done',
    tags: {},
    createdAt: seed.createdAt,
    updatedAt: seed.createdAt,
    version: 1,
    sponsor: { user: seed.vendor, order: seed.order },
  });
}

/** The VMs of a run, with names, on one connector. */
export const vms = (...lifetimes: [name: string, createdAt: string, terminatedAt?: string, instanceType?: string][]): MeteredVm[] =>
  lifetimes.map(([name, createdAt, terminatedAt, instanceType]) => ({
    name,
    connector: 'sim-billing',
    createdAt,
    ...(terminatedAt ? { terminatedAt } : {}),
    ...(instanceType ? { instanceType } : {}),
  }));

/** The usage records FinalizeRun writes for an order's run that ended at `until`. */
export async function storeUsage(
  table: TableClient,
  run: { id: string; customer: string; order: string },
  machines: MeteredVm[],
  until: string,
): Promise<void> {
  await putUsageRecords(table, { id: run.id, owner: run.customer, sponsor: { order: run.order } }, usageTotals(machines, new Date(until)));
}

/** The instances of a run still live, as the steps leave them (created, some maybe terminated). */
export async function storeInstances(table: TableClient, runId: string, machines: MeteredVm[]): Promise<void> {
  for (const [i, vm] of machines.entries()) {
    const [node, index] = (vm.name ?? `vm.${i + 1}`).split('.') as [string, string];
    await putInstanceIntent(table, {
      run: runId,
      node,
      index: Number(index),
      name: vm.name ?? `${node}.${index}`,
      connector: vm.connector,
      credentialId: 'cred_billing',
      imageId: 'img-native',
      readiness: 'running',
      outputs: [],
      inputs: {},
      parameters: {},
      phase: vm.terminatedAt ? 'terminated' : 'created',
      state: vm.terminatedAt ? 'terminated' : 'running',
      ...(vm.instanceType ? { instanceType: vm.instanceType } : {}),
      ...(vm.createdAt ? { createdAt: vm.createdAt } : {}),
      ...(vm.terminatedAt ? { terminatedAt: vm.terminatedAt } : {}),
    });
  }
}
