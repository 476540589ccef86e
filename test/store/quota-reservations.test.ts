/**
 * Quota reservations under concurrency and admin changes, over DynamoDB Local:
 * exactly as many VMs are admitted as the quota allows, a limit changed while a
 * reservation is in flight is honoured, and a release happens once.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuotaExceededError } from '#functions/domain/errors';
import { createConnector, getConnector, replaceConnector } from '#functions/store/connectors';
import { releaseQuota, reserveQuota } from '#functions/store/quota-reservations';
import { quotaFor, setQuotaOverride } from '#functions/store/quotas';
import type { TableClient } from '#functions/store/table-client';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;
let table: TableClient;
let sequence = 0;

beforeAll(async () => {
  stack = await startStepStack();
  table = stack.deps.table;
});

afterAll(async () => {
  await stack?.stop();
});

/** A connector with its own name and default quota, for one test. */
async function connectorWith(defaultQuotaVms: number): Promise<string> {
  sequence += 1;
  const name = `quota-conn-${sequence}`;
  await createConnector(table, { name, kind: 'sim', maxIaasWorkers: 2, defaultQuotaVms, settings: {} }, 'usr_admin', new Date());
  return name;
}

/** The same table, with `before` run once just before the first transaction is sent. */
function beforeFirstTransaction(before: () => Promise<void>): TableClient {
  let done = false;
  const send = (async (command: unknown) => {
    if (!done && command instanceof TransactWriteCommand) {
      done = true;
      await before();
    }
    return table.doc.send(command as never);
  }) as TableClient['doc']['send'];
  return { name: table.name, doc: { ...table.doc, send } as TableClient['doc'] };
}

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'reserved' as const,
    (error: unknown) => (error instanceof QuotaExceededError ? ('refused' as const) : Promise.reject(error)),
  );

describe('reserveQuota', () => {
  it('admits exactly 20 of 100 concurrent one-VM runs at a quota of 20', async () => {
    // Prepare
    const connector = await connectorWith(20);
    const user = `usr_crowd${sequence}`;

    // Act
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => outcome(reserveQuota(table, { id: `run_crowd${sequence}_${i}`, owner: user }, { [connector]: 1 }))),
    );

    // Assess
    expect(results.filter((r) => r === 'reserved')).toHaveLength(20);
    expect((await quotaFor(table, user, connector))?.used).toBe(20);
  });

  it('honours an override removed while the reservation is in flight', async () => {
    // Prepare: the override allows 10, the connector's default only 2
    const connector = await connectorWith(2);
    const user = `usr_override${sequence}`;
    const config = (await getConnector(table, connector))!;
    await setQuotaOverride(table, user, config, 10, new Date());
    const racing = beforeFirstTransaction(() => setQuotaOverride(table, user, config, null, new Date()).then(() => undefined));

    // Act
    const result = await outcome(reserveQuota(racing, { id: `run_override${sequence}`, owner: user }, { [connector]: 5 }));

    // Assess
    expect(result).toBe('refused');
    expect((await quotaFor(table, user, connector))?.used ?? 0).toBe(0);
  });

  it("honours a connector's default lowered while the reservation is in flight", async () => {
    // Prepare: the default allows 10 until an admin lowers it to 3
    const connector = await connectorWith(10);
    const user = `usr_default${sequence}`;
    const config = (await getConnector(table, connector))!;
    const racing = beforeFirstTransaction(async () => {
      const { kind, maxIaasWorkers, settings } = config;
      await replaceConnector(table, connector, config.version, { kind, maxIaasWorkers, settings, defaultQuotaVms: 3 }, new Date());
    });

    // Act
    const result = await outcome(reserveQuota(racing, { id: `run_default${sequence}`, owner: user }, { [connector]: 5 }));

    // Assess
    expect(result).toBe('refused');
    expect((await quotaFor(table, user, connector))?.used ?? 0).toBe(0);
  });

  it('reserves against the raised limit when an admin raises it meanwhile', async () => {
    // Prepare: the default allows 2 until an admin sets an override of 6
    const connector = await connectorWith(2);
    const user = `usr_raise${sequence}`;
    const config = (await getConnector(table, connector))!;
    const racing = beforeFirstTransaction(() => setQuotaOverride(table, user, config, 6, new Date()).then(() => undefined));

    // Act
    const result = await outcome(reserveQuota(racing, { id: `run_raise${sequence}`, owner: user }, { [connector]: 2 }));

    // Assess
    expect(result).toBe('reserved');
    expect(await quotaFor(table, user, connector)).toEqual({ maxVms: 6, used: 2, source: 'override' });
  });
});

describe('releaseQuota', () => {
  it('gives the VMs back once, however often it runs', async () => {
    // Prepare
    const connector = await connectorWith(5);
    const user = `usr_release${sequence}`;
    const run = { id: `run_release${sequence}`, owner: user };
    await reserveQuota(table, run, { [connector]: 3 });

    // Act
    await Promise.all([1, 2, 3].map(() => releaseQuota(table, { ...run, quotaReserved: { [connector]: 3 } })));

    // Assess
    expect((await quotaFor(table, user, connector))?.used).toBe(0);
  });
});
