/**
 * B4 — one monitor tick over 10,000 live sim VMs: 500 runs of 20 VMs, 50 users,
 * 2 connectors (100 connector/credential pairs). Users, connectors and credentials
 * are made through the API; runs, instances and VMs are seeded straight into the
 * table through the store functions' and the sim's own item shapes (launching 500
 * runs would take longer than the whole suite may). Counted: cloud calls (Connector
 * methods), the sim's pages (its Query commands), table writes, and tick time.
 */
import type { ConnectorConfig } from '#connectors/contract';
import { openSim } from '#connectors/sim/sim-kind';
import { handler as monitorHandler } from '#functions/schedules/monitor';
import { liveInstanceIndex, putInstanceIntent, putRun, type InstanceDoc, type RunDoc } from '#functions/store/runs';
import { simConnector, user } from '../support/api';
import type { BenchStack } from '../support/bench-stack';
import { ms, pass, type FigureResult } from '../support/report';
import { batchWrite, ItemCapture } from '../support/seed';
import { median, pool } from '../support/stats';
import { inScope, summarize } from '../support/table-counter';

export const B4 = { users: 50, connectors: ['sim-m1', 'sim-m2'], runsPerPair: 5, vmsPerRun: 20, ticks: 5 } as const;

const tick = () => inScope('monitor', () => (monitorHandler as unknown as () => Promise<unknown>)());

export async function measureB4(b: BenchStack): Promise<Omit<FigureResult, 'seconds'>> {
  const seedStarted = performance.now();
  const configs: ConnectorConfig[] = [];
  for (const name of B4.connectors) configs.push(await simConnector(b.api, b.adminKey, name, { bootSeconds: 0 }));
  const users = await pool(5, B4.users, (i) => user(b.api, b.adminKey, `bench-monitor-${i}`));
  const pairs = await pool(5, users.length * configs.length, async (i) => {
    const owner = users[Math.floor(i / configs.length)]!;
    const config = configs[i % configs.length]!;
    const credential = await b.api.must('POST', '/credentials', owner.key, { connector: config.name, secrets: { apiKey: 'bench', apiSecret: 'bench-secret' } });
    return { owner: owner.id, config, credentialId: credential.id as string };
  });

  const capture = new ItemCapture(b.raw.name);
  const now = new Date();
  let runNo = 0;
  for (const pair of pairs) {
    const cloud = openSim(
      { config: pair.config, credentialId: pair.credentialId, secrets: { apiKey: 'bench', apiSecret: 'bench-secret' } },
      { table: capture.table, now: () => now },
    );
    for (let r = 0; r < B4.runsPerPair; r++) {
      const runId = `run_benchmonitor${String(++runNo).padStart(6, '0')}`;
      const run: RunDoc = {
        id: runId,
        owner: pair.owner,
        deployment: 'dep_bench',
        deploymentVersion: 1,
        connector: pair.config.name,
        nodes: {},
        state: 'Ready',
        tags: {},
        quotaReserved: { [pair.config.name]: B4.vmsPerRun },
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        version: 1,
      };
      await putRun(capture.table, run);
      for (let index = 1; index <= B4.vmsPerRun; index++) {
        const tag = { run: runId, node: 'app', index };
        const vm = await cloud.createInstance({
          tag,
          name: `app.${index}`,
          imageId: 'sim-ubuntu-22.04',
          boot: { outputs: [], inputs: {}, readiness: 'running' },
        });
        const instance: InstanceDoc = {
          node: 'app',
          index,
          name: `app.${index}`,
          connector: pair.config.name,
          imageId: 'sim-ubuntu-22.04',
          readiness: 'running',
          outputs: [],
          inputs: {},
          run: runId,
          credentialId: pair.credentialId,
          phase: 'created',
          state: vm.state,
          rawState: vm.rawState,
          cloudId: vm.cloudId,
          ip: vm.ip,
          parameters: { hostname: `app-${index}`, ip: vm.ip ?? '' },
          ready: true,
          createdAt: now.toISOString(),
        };
        await putInstanceIntent(capture.table, { ...instance, ...liveInstanceIndex(instance) } as InstanceDoc);
      }
    }
  }
  const items = capture.drain();
  await batchWrite(b.raw, items);
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  // Warm-up: the first tick loads the handler's code paths and connections.
  await tick();
  const ticks = [];
  for (let t = 0; t < B4.ticks; t++) {
    const opsMark = b.tableOps.mark();
    const callsMark = b.cloudCalls.mark();
    const started = performance.now();
    const report = (await tick()) as { accounts: number; updated: number };
    const wallMs = performance.now() - started;
    const ops = b.tableOps.since(opsMark).filter((o) => o.scope === 'monitor');
    const calls = b.cloudCalls.since(callsMark);
    const totals = summarize(ops);
    ticks.push({
      wallMs,
      accounts: report.accounts,
      updated: report.updated,
      cloudCalls: calls.length,
      listCalls: calls.filter((c) => c.method === 'listInstances').length,
      simPages: ops.filter((o) => o.target === 'SIM' && o.command === 'QueryCommand').length,
      liveIndexPages: ops.filter((o) => o.target === 'index:liveRuns').length,
      ...totals,
    });
  }

  const pairCount = pairs.length;
  const tickMs = median(ticks.map((t) => t.wallMs));
  const worst = ticks.reduce((w, t) => (t.cloudCalls > w.cloudCalls ? t : w), ticks[0]!);
  const writes = Math.max(...ticks.map((t) => t.itemsWritten));
  return {
    id: 'B4',
    title: 'monitor tick over 10,000 VMs',
    rows: [
      {
        id: 'B4',
        figure: `monitor tick: cloud calls (${runNo * B4.vmsPerRun} VMs, ${runNo} runs, ${users.length} users, ${configs.length} connectors)`,
        measured: `${worst.cloudCalls} calls (${worst.listCalls} listInstances), ${worst.simPages} sim pages`,
        reference: `${pairCount} (connector, credential) pairs`,
        budget: 'calls = pairs',
        status: pass(ticks.every((t) => t.cloudCalls === pairCount)),
      },
      {
        id: 'B4',
        figure: 'monitor tick with no change: table writes, time',
        measured: `${writes} writes; tick ${ms(tickMs)} (median of ${B4.ticks}); ${worst.readCommands} reads, ${worst.itemsRead} items read`,
        reference: '—',
        budget: '0 writes; time reported',
        status: pass(writes === 0),
      },
    ],
    details: {
      seeding: {
        how: 'API for users, connectors, credentials; runs, instances and sim VMs through putRun, putInstanceIntent and the sim create into a capturing client, then BatchWriteItem',
        items: items.length,
        seconds: seedSeconds,
      },
      pairs: pairCount,
      ticks,
    },
  };
}
