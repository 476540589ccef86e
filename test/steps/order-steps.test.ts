/**
 * The order state machine's steps (LaunchOrderRun, CheckOrderRun, FailOrder), what
 * else moves an order (cancel, renew, the end of its run in FinalizeRun), the
 * reminder schedule, and billing's listing, over DynamoDB Local with a recording
 * Step Functions client. Runs are moved along their lifecycle by hand.
 */
import { nextWaitSeconds } from '#functions/domain/boot-polling';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '#functions/commons/deps';
import { remindOrders } from '#functions/schedules/order-reminders';
import { cancelOrder, renewOrder, settleOrderOfRun } from '#functions/runs/order-lifecycle';
import { checkOrderRun } from '#functions/steps/check-order-run';
import { failOrder } from '#functions/steps/fail-order';
import { launchOrderRun, orderRunId, type OrderLaunchState } from '#functions/steps/launch-order-run';
import { createConnector } from '#functions/store/connectors';
import { createCredential, sealSecrets } from '#functions/store/credentials';
import { changeOrder, getOrder, getReminder, listOrderEvents, listOrdersActiveBetween, putOrder, type OrderDoc } from '#functions/store/orders';
import { createProduct } from '#functions/store/products';
import { getRun, listExpiredRunIds, moveRun } from '#functions/store/runs';
import { createVersioned } from '#functions/store/versioned';
import type { RunState } from '#functions/domain/run-states';
import { recordingSfn, type RecordingSfn } from '#test/runs/support/recording-sfn';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';
import { rejectionOf } from '#test/runs/support/run-world';
import { SCRIPTED_KIND } from '#test/support/scripted-connector';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

const DEPLOY_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-deploy-run';
const TERMINATE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-terminate-run';
const NOW = new Date('2032-03-01T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const PLAN = { name: 'basic', monthlyFee: { amount: 1900, currency: 'EUR' }, vmHourPrice: { amount: 4, currency: 'EUR' }, termDays: 30 };

let stack: StepStack;
let sfn: RecordingSfn;
let deps: AppDeps;
let worlds = 0;

beforeAll(async () => {
  stack = await startStepStack();
});

beforeEach(() => {
  stack.setNow(NOW);
  sfn = recordingSfn();
  deps = {
    ...stack.deps,
    sfn: sfn.client,
    config: { ...stack.deps.config, deployStateMachineArn: () => DEPLOY_ARN, terminateStateMachineArn: () => TERMINATE_ARN },
  };
});

afterAll(async () => {
  stack?.setNow(undefined);
  await stack?.stop();
});

const at = (date: Date) => stack.setNow(date);
const later = (ms: number) => new Date(NOW.getTime() + ms);
const started = (arn: string) => sfn.sent.filter((s) => s.command === 'StartExecutionCommand' && s.input.stateMachineArn === arn).map((s) => s.input.name);

/** A vendor's published one-VM product on a scripted connector, and a customer's Pending order of it. */
async function pendingOrder(plan: typeof PLAN | Omit<typeof PLAN, 'termDays'> = PLAN) {
  const n = ++worlds;
  const table = stack.deps.table;
  const now = stack.deps.now();
  const iso = now.toISOString();
  const [connector, vendor, customer] = [`shop-${n}`, `usr_vendor${n}`, `usr_customer${n}`];
  await createConnector(
    table,
    { name: connector, kind: SCRIPTED_KIND, maxIaasWorkers: 2, defaultQuotaVms: 10, settings: { pollSeconds: 4 } },
    'usr_admin',
    now,
  );
  const sealed = await sealSecrets(stack.deps.cipher(), { apiKey: 'k', apiSecret: 's' });
  const credential = await createCredential(table, { owner: vendor, connector, kind: SCRIPTED_KIND, ...sealed }, now);
  const meta = { owner: vendor, version: 1, createdAt: iso, updatedAt: iso };
  const image = await createVersioned(table, 'image', {
    ...meta,
    id: `img_shop${n}`,
    name: `base-${n}`,
    cloudImageIds: { [connector]: 'img-native' },
    outputs: [],
  });
  const deployment = await createVersioned(table, 'deployment', {
    ...meta,
    id: `dep_shop${n}`,
    name: `site-${n}`,
    nodes: [{ name: 'vm', image: image.id, multiplicity: 1, inputs: {} }],
  });
  const product = await createProduct(table, {
    ...meta,
    id: `prd_shop${n}`,
    name: `product-${n}`,
    deployment: deployment.id,
    deploymentVersion: 1,
    connector,
    credential: credential.id,
    plans: [plan],
    tags: {},
    state: 'published',
  });
  const order: OrderDoc = {
    id: `ord_shop${n}`,
    owner: customer,
    customer,
    vendor,
    product: product.id,
    productVersion: 1,
    plan,
    state: 'Pending',
    attempts: 0,
    steps: [{ at: iso, state: 'Pending', message: 'ordered' }],
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
  await putOrder(table, order);
  return { orderId: order.id, vendor, customer, connector, productId: product.id };
}

const orderOf = async (id: string) => (await getOrder(stack.deps.table, id))!;
const messages = async (id: string) => (await orderOf(id)).steps.map((s) => s.message);

/** Moves a run along its lifecycle. */
async function moveRunTo(runId: string, ...states: RunState[]) {
  for (const state of states)
    if (!(await moveRun(stack.deps.table, runId, state, stack.deps.now()))) throw new Error(`run ${runId} could not move to ${state}`);
}

const check = (orderId: string, launch: OrderLaunchState) => checkOrderRun({ orderId, launch, retryBaseSeconds: 30, maxAttempts: 3 }, deps);

/** A Pending order launched (attempt 1) and its run Ready. */
async function readyOrder(plan?: typeof PLAN | Omit<typeof PLAN, 'termDays'>) {
  const world = await pendingOrder(plan);
  const launch = await launchOrderRun({ orderId: world.orderId, previousAttempt: 0 }, deps);
  await moveRunTo(launch.runId!, 'Provisioning', 'Executing', 'Ready');
  return { ...world, launch };
}

/** A Pending order launched and made Active by the look that finds its run Ready. */
async function activeOrder(plan?: typeof PLAN | Omit<typeof PLAN, 'termDays'>) {
  const world = await readyOrder(plan);
  const outcome = await check(world.orderId, world.launch);
  if (outcome.status !== 'active') throw new Error(`order ${world.orderId} did not become Active: ${JSON.stringify(outcome)}`);
  return world;
}

describe('LaunchOrderRun', () => {
  it("launches the first attempt's run as the customer, sponsored by the vendor, and moves the order to Provisioning", async () => {
    // Prepare
    const { orderId, customer, vendor, connector, productId } = await pendingOrder();

    // Act
    const launch = await launchOrderRun({ orderId, previousAttempt: 0 }, deps);

    // Assess
    const runId = orderRunId(orderId, 1);
    expect(launch).toMatchObject({ status: 'launched', attempt: 1, runId, pollSeconds: 4, polls: 0, waitSeconds: 4 });
    expect(await getRun(stack.deps.table, runId)).toMatchObject({
      owner: customer,
      connector,
      deploymentVersion: 1,
      state: 'Initializing',
      sponsor: { user: vendor, order: orderId },
      tags: { order: orderId, product: productId },
    });
    expect(await orderOf(orderId)).toMatchObject({ state: 'Provisioning', attempts: 1, run: runId, runs: [runId] });
    expect(started(DEPLOY_ARN)).toEqual([runId]);
  });

  it('launches the same run again when repeated, recording the attempt once', async () => {
    // Prepare
    const { orderId } = await pendingOrder();
    await launchOrderRun({ orderId, previousAttempt: 0 }, deps);

    // Act
    const again = await launchOrderRun({ orderId, previousAttempt: 0 }, deps);

    // Assess
    expect(again.runId).toBe(orderRunId(orderId, 1));
    expect(await orderOf(orderId)).toMatchObject({ attempts: 1, runs: [again.runId] });
    expect((await messages(orderId)).filter((m) => m.startsWith('attempt 1'))).toHaveLength(1);
  });

  it('launches nothing for an order cancelled before its first attempt', async () => {
    // Prepare
    const { orderId, customer } = await pendingOrder();
    await cancelOrder(deps, orderId, customer);

    // Act
    const launch = await launchOrderRun({ orderId, previousAttempt: 0 }, deps);

    // Assess
    expect(launch.status).toBe('closed');
    expect(await getRun(stack.deps.table, orderRunId(orderId, 1))).toBeUndefined();
    expect(started(DEPLOY_ARN)).toEqual([]);
  });
});

describe('CheckOrderRun', () => {
  it("records the run's progress as a step once per state, looking again on the boot-polling schedule", async () => {
    // Prepare
    const { orderId } = await pendingOrder();
    const launch = await launchOrderRun({ orderId, previousAttempt: 0 }, deps);
    await moveRunTo(launch.runId!, 'Provisioning');

    // Act
    const first = await check(orderId, launch);
    const second = await check(orderId, first);

    // Assess
    // First look after 4 s (the connector's pollSeconds), then a quarter of the elapsed time later: at 5 s, then 6 s.
    expect(first).toMatchObject({ status: 'launched', polls: 1, waitSeconds: nextWaitSeconds(4, 1) });
    expect(second).toMatchObject({ polls: 2, waitSeconds: nextWaitSeconds(4, 2) });
    expect([first.waitSeconds, second.waitSeconds]).toEqual([1, 1]);
    expect((await messages(orderId)).filter((m) => m === `run ${launch.runId} is Provisioning`)).toHaveLength(1);
  });

  it("makes the order Active on its Ready run: the term's end becomes the run's expiry, the 7-day warning is scheduled", async () => {
    // Prepare
    const { orderId, launch } = await readyOrder();

    // Act
    const outcome = await check(orderId, launch);
    const again = await check(orderId, launch);

    // Assess
    const endsAt = new Date(NOW.getTime() + 30 * DAY).toISOString();
    expect(outcome.status).toBe('active');
    expect(again.status).toBe('active');
    expect(await orderOf(orderId)).toMatchObject({ state: 'Active', startsAt: NOW.toISOString(), endsAt });
    expect((await getRun(stack.deps.table, launch.runId!))?.expiresAt).toBe(endsAt);
    expect(await listExpiredRunIds(stack.deps.table, new Date(endsAt))).toContain(launch.runId);
    expect(await getReminder(stack.deps.table, orderId)).toMatchObject({ kind: '7d', dueAt: new Date(NOW.getTime() + 23 * DAY).toISOString() });
    expect((await messages(orderId)).filter((m) => m.startsWith('active:'))).toHaveLength(1);
  });

  it('gives a run with no term no expiry', async () => {
    // Prepare
    const { orderId, launch } = await readyOrder({ name: 'open-ended', monthlyFee: PLAN.monthlyFee, vmHourPrice: PLAN.vmHourPrice });

    // Act
    await check(orderId, launch);

    // Assess
    expect((await orderOf(orderId)).endsAt).toBeUndefined();
    expect((await getRun(stack.deps.table, launch.runId!))?.expiresAt).toBeUndefined();
    expect(await getReminder(stack.deps.table, orderId)).toBeUndefined();
  });

  it('fails the attempt on an Aborted run with its abortReason, retrying after the base wait, then twice that, then not at all', async () => {
    // Prepare
    const { orderId } = await pendingOrder();
    const outcomes: OrderLaunchState[] = [];

    // Act
    for (let previousAttempt = 0; previousAttempt < 3; previousAttempt++) {
      const launch = await launchOrderRun({ orderId, previousAttempt }, deps);
      await moveRunTo(launch.runId!, 'Finalizing');
      await moveRun(stack.deps.table, launch.runId!, 'Aborted', stack.deps.now(), { abortReason: `no room ${previousAttempt + 1}` });
      outcomes.push(await check(orderId, launch));
      await check(orderId, launch); // a repeated look records nothing more
    }

    // Assess
    expect(outcomes.map((o) => [o.status, o.reason, o.retryWaitSeconds])).toEqual([
      ['failed', 'no room 1', 30],
      ['failed', 'no room 2', 60],
      ['failed', 'no room 3', undefined],
    ]);
    const failures = (await messages(orderId)).filter((m) => m.includes('failed'));
    expect(failures).toEqual([
      'attempt 1 of 3 failed: no room 1; trying again in 30 s',
      'attempt 2 of 3 failed: no room 2; trying again in 60 s',
      'attempt 3 of 3 failed: no room 3',
    ]);
    expect(new Set((await orderOf(orderId)).runs).size).toBe(3);
  });

  it('terminates the run of an order cancelled meanwhile, and ends the loop', async () => {
    // Prepare
    const { orderId, customer } = await pendingOrder();
    const launch = await launchOrderRun({ orderId, previousAttempt: 0 }, deps);
    await moveRunTo(launch.runId!, 'Provisioning');
    await changeOrder(stack.deps.table, orderId, NOW, () => ({ to: 'Cancelled', message: `cancelled by ${customer}` }));

    // Act
    const outcome = await check(orderId, launch);

    // Assess
    expect(outcome.status).toBe('closed');
    expect(started(TERMINATE_ARN)).toEqual([launch.runId]);
  });

  it('gives up on a run not Ready within its deadline: terminates it and fails the attempt', async () => {
    // Prepare
    const { orderId } = await pendingOrder();
    const launch = await launchOrderRun({ orderId, previousAttempt: 0 }, deps);

    // Act
    const outcome = await check(orderId, { ...launch, polls: launch.maxPolls - 1 });

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', reason: `run ${launch.runId} was not Ready within 120 min`, retryWaitSeconds: 30 });
    expect(started(TERMINATE_ARN)).toEqual([launch.runId]);
  });

  it('cancels the order when its customer terminated the run before it was Ready', async () => {
    // Prepare
    const { orderId } = await pendingOrder();
    const launch = await launchOrderRun({ orderId, previousAttempt: 0 }, deps);
    await moveRunTo(launch.runId!, 'Finalizing', 'Done');

    // Act
    const outcome = await check(orderId, launch);

    // Assess
    expect(outcome.status).toBe('closed');
    expect(await orderOf(orderId)).toMatchObject({ state: 'Cancelled', endedAt: NOW.toISOString() });
  });
});

describe('FailOrder', () => {
  it("fails a provisioning order with the last attempt's reason", async () => {
    // Prepare
    const { orderId } = await pendingOrder();
    await launchOrderRun({ orderId, previousAttempt: 0 }, deps);

    // Act
    const result = await failOrder({ orderId, outcome: { reason: 'The cloud refused: no' } }, deps);

    // Assess
    expect(result).toEqual({ reason: 'The cloud refused: no' });
    expect(await orderOf(orderId)).toMatchObject({ state: 'Failed', failureReason: 'The cloud refused: no', endedAt: NOW.toISOString() });
  });

  it('takes the reason from the error a task failed with, and leaves a cancelled order as it is', async () => {
    // Prepare
    const { orderId, customer } = await pendingOrder();
    await cancelOrder(deps, orderId, customer);

    // Act
    const result = await failOrder({ orderId, outcome: { Error: 'Error', Cause: 'the table is gone' } }, deps);

    // Assess
    expect(result.reason).toBe('Error: the table is gone');
    expect((await orderOf(orderId)).state).toBe('Cancelled');
  });
});

describe('the end of an Active order', () => {
  it('is Expired at its end when its run ends after it (FinalizeRun), once', async () => {
    // Prepare
    const { orderId, launch } = await activeOrder();
    const { endsAt } = await orderOf(orderId);
    at(later(30 * DAY + 60_000));

    // Act
    await settleOrderOfRun(deps, { id: launch.runId!, sponsor: { user: 'v', order: orderId } });
    await settleOrderOfRun(deps, { id: launch.runId!, sponsor: { user: 'v', order: orderId } });

    // Assess
    expect(await orderOf(orderId)).toMatchObject({ state: 'Expired', endedAt: endsAt });
    expect((await messages(orderId)).filter((m) => m.startsWith('expired at'))).toHaveLength(1);
    expect(await getReminder(stack.deps.table, orderId)).toBeUndefined();
  });

  it('is Cancelled when its run ends before its end; a run of an earlier attempt changes nothing', async () => {
    // Prepare
    const first = await activeOrder();
    const second = await activeOrder();
    at(later(DAY));

    // Act
    await settleOrderOfRun(deps, { id: first.launch.runId!, sponsor: { user: 'v', order: first.orderId } });
    await settleOrderOfRun(deps, { id: 'run_of_another_attempt', sponsor: { user: 'v', order: second.orderId } });

    // Assess
    expect(await orderOf(first.orderId)).toMatchObject({ state: 'Cancelled', endedAt: later(DAY).toISOString() });
    expect((await orderOf(second.orderId)).state).toBe('Active');
  });

  it('is cancelled by its customer at once, its run asked to terminate; again is no change, an Expired order refuses', async () => {
    // Prepare
    const { orderId, customer, launch } = await activeOrder();
    const expired = await activeOrder();
    at(later(31 * DAY));
    await settleOrderOfRun(deps, { id: expired.launch.runId!, sponsor: { user: 'v', order: expired.orderId } });

    // Act
    const first = await cancelOrder(deps, orderId, customer);
    const again = await cancelOrder(deps, orderId, customer);
    const refused = await rejectionOf(cancelOrder(deps, expired.orderId, expired.customer));

    // Assess
    expect(first).toMatchObject({ cancelled: true, order: { state: 'Cancelled', endedAt: later(31 * DAY).toISOString() } });
    expect(again.cancelled).toBe(false);
    expect(refused.message).toContain('is Expired');
    expect(started(TERMINATE_ARN)).toContain(launch.runId);
  });

  it('is renewed by one term with its run’s expiry; not once ended, nor without a term', async () => {
    // Prepare
    const { orderId, launch } = await activeOrder();
    const openEnded = await activeOrder({ name: 'open-ended', monthlyFee: PLAN.monthlyFee, vmHourPrice: PLAN.vmHourPrice });
    at(later(29 * DAY));

    // Act
    const renewed = await renewOrder(deps, orderId);
    const noTerm = await rejectionOf(renewOrder(deps, openEnded.orderId));
    at(later(61 * DAY));
    const tooLate = await rejectionOf(renewOrder(deps, orderId));

    // Assess
    const endsAt = later(60 * DAY).toISOString();
    expect(renewed.endsAt).toBe(endsAt);
    expect((await getRun(stack.deps.table, launch.runId!))?.expiresAt).toBe(endsAt);
    expect(await listExpiredRunIds(stack.deps.table, later(30 * DAY))).not.toContain(launch.runId);
    expect(await getReminder(stack.deps.table, orderId)).toMatchObject({ kind: '7d', dueAt: later(53 * DAY).toISOString() });
    expect(noTerm.message).toContain('no term');
    expect(tooLate.message).toContain('ended');
  });
});

describe('the order reminders schedule', () => {
  it('warns 7 days and 1 day before the end, each once, as a step and an order-warning event', async () => {
    // Prepare: orders of this file are in one table; only this one is Active with a warning due in this test's window
    await stack.useNewTable();
    deps.table = stack.deps.table;
    const { orderId, customer, vendor } = await activeOrder();

    // Act
    at(later(23 * DAY));
    const sevenDays = await remindOrders(deps);
    const repeated = await remindOrders(deps);
    at(later(29 * DAY + 60_000));
    const oneDay = await remindOrders(deps);

    // Assess
    expect(sevenDays.warned).toEqual([orderId]);
    expect(repeated.warned).toEqual([]);
    expect(oneDay.warned).toEqual([orderId]);
    expect((await orderOf(orderId)).steps.filter((s) => s.message.startsWith('the order ends in')).map((s) => s.message)).toEqual([
      `the order ends in 7 days, at ${later(30 * DAY).toISOString()}`,
      `the order ends in 1 day, at ${later(30 * DAY).toISOString()}`,
    ]);
    const warnings = (await listOrderEvents(stack.deps.table, orderId)).filter((e) => e.type === 'order-warning');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ order: orderId, owner: customer, vendor, state: 'Active' });
    expect(await getReminder(stack.deps.table, orderId)).toBeUndefined();
  });
});

describe('orders active between two instants (billing)', () => {
  it('lists the Active orders that started before the end and the ended ones that ended after the start, each once, page by page', async () => {
    // Prepare
    await stack.useNewTable();
    deps.table = stack.deps.table;
    const open = await activeOrder();
    at(later(DAY));
    const endedBeforeFrom = await activeOrder();
    at(later(2 * DAY));
    await cancelOrder(deps, endedBeforeFrom.orderId, endedBeforeFrom.customer);
    const endedWithin = await activeOrder();
    at(later(3 * DAY));
    await cancelOrder(deps, endedWithin.orderId, endedWithin.customer);
    at(later(20 * DAY));
    const startsAfter = await activeOrder();
    await pendingOrder(); // never Active

    // Act: [NOW + 2.5 days, NOW + 10 days)
    const from = later(2.5 * DAY).toISOString();
    const to = later(10 * DAY).toISOString();
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOrdersActiveBetween(stack.deps.table, from, to, { limit: 1, cursor });
      ids.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // Assess
    expect(ids.sort()).toEqual([open.orderId, endedWithin.orderId].sort());
    expect(ids).not.toContain(endedBeforeFrom.orderId);
    expect(ids).not.toContain(startsAfter.orderId);
  });
});
