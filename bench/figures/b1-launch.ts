/**
 * B1 — launch → Ready for runs of 1, 10 and 50 instances (sim, bootSeconds 3,
 * maxIaasWorkers 10), against the ideal: bootSeconds plus the sim's own time for
 * ⌈N/W⌉ waves of W concurrent creates, that wave measured directly through the
 * connector right before and after each run.
 */
import type { ConnectorConfig } from '#connectors/contract';
import { openSim } from '#connectors/sim/sim-kind';
import { appDeployment, simConnector, user } from '../support/api';
import type { BenchStack } from '../support/bench-stack';
import { pass, type FigureResult } from '../support/report';
import { runToReady, terminateRun, type RunTiming } from '../support/runs';
import { profileSteps } from '../support/step-profile';
import { median, pool, round } from '../support/stats';
import { history, runExecutionArn } from '../support/histories';
import { summarize } from '../support/table-counter';

export const B1 = { connector: 'sim-b1', bootSeconds: 3, workers: 10, sizes: [1, 10, 50], repetitions: 3 } as const;

export interface LaunchWorld {
  key: string;
  config: ConnectorConfig;
}

/** The user, connector and deployment every B1/B2 run uses. */
export async function launchWorld(b: BenchStack, extraConnectors: Record<string, number> = {}): Promise<LaunchWorld> {
  await simConnector(b.api, b.adminKey, B1.connector, { bootSeconds: B1.bootSeconds }, B1.workers);
  for (const [name, bootSeconds] of Object.entries(extraConnectors)) await simConnector(b.api, b.adminKey, name, { bootSeconds }, B1.workers);
  const u = await user(b.api, b.adminKey, 'bench-launch');
  await appDeployment(b.api, u.key, [B1.connector, ...Object.keys(extraConnectors)]);
  const config = (await b.api.must('GET', `/connectors/${B1.connector}`, b.adminKey)) as ConnectorConfig;
  return { key: u.key, config };
}

let probes = 0;

/** Wall time of one wave: `workers` concurrent creates straight through the sim connector. */
async function createWave(b: BenchStack, config: ConnectorConfig): Promise<number> {
  const cloud = openSim({ config, credentialId: 'bench-probe', secrets: { apiKey: 'bench', apiSecret: 'bench' } }, { table: b.raw, now: () => new Date() });
  const wave = ++probes;
  const started = performance.now();
  await pool(B1.workers, B1.workers, (i) =>
    cloud.createInstance({
      tag: { run: `probe-${wave}`, node: 'p', index: i + 1 },
      name: `p.${i + 1}`,
      imageId: 'sim-ubuntu-22.04',
      boot: { outputs: [], inputs: {}, readiness: 'running' },
    }),
  );
  return performance.now() - started;
}

export interface MeasuredRun extends RunTiming {
  n: number;
  /** The run's table traffic (launch → Ready, then terminate → Done), request units included. */
  table: { deploy: ReturnType<typeof summarize>; terminate: ReturnType<typeof summarize> };
  waveMs: number;
  idealMs: number;
}

export async function measureB1(b: BenchStack, world: LaunchWorld): Promise<{ result: Omit<FigureResult, 'seconds'>; runs: MeasuredRun[] }> {
  // Warm-up: every handler loaded, connections open, the JIT past its first pass.
  await createWave(b, world.config);
  const warm = await runToReady(b, world.key, B1.connector, 10);
  await terminateRun(b, world.key, warm.runId);

  const runs: MeasuredRun[] = [];
  let profile: unknown;
  for (let rep = 0; rep < B1.repetitions; rep++) {
    for (const n of B1.sizes) {
      const before = await createWave(b, world.config);
      const opsMark = b.tableOps.mark();
      const callsMark = b.cloudCalls.mark();
      const run = await runToReady(b, world.key, B1.connector, n);
      const ops = b.tableOps.since(opsMark);
      const calls = b.cloudCalls.since(callsMark);
      const after = await createWave(b, world.config);
      const waveMs = median([before, after]);
      const idealMs = B1.bootSeconds * 1000 + Math.ceil(n / B1.workers) * waveMs;
      if (rep === 0 && n === 10) profile = profileSteps(await history(b.sfn, runExecutionArn('deploy', run.runId)), ops, calls);
      const terminateMark = b.tableOps.mark();
      await terminateRun(b, world.key, run.runId);
      runs.push({ ...run, n, waveMs, idealMs, table: { deploy: summarize(ops), terminate: summarize(b.tableOps.since(terminateMark)) } });
    }
  }

  const bySize = B1.sizes.map((n) => {
    const of = runs.filter((r) => r.n === n);
    const phases = (from: string, to: string) =>
      median(of.map((r) => (r.states.find((s) => s.state === to)?.at ?? NaN) - (r.states.find((s) => s.state === from)?.at ?? NaN)));
    return {
      n,
      toReadyMs: median(of.map((r) => r.toReadyMs)),
      idealMs: median(of.map((r) => r.idealMs)),
      waveMs: median(of.map((r) => r.waveMs)),
      ratio: median(of.map((r) => r.toReadyMs / r.idealMs)),
      phasesMs: {
        launchToProvisioning: median(of.map((r) => (r.states.find((s) => s.state === 'Provisioning')?.at ?? NaN) - r.launchedAt)),
        provisioningToExecuting: phases('Provisioning', 'Executing'),
        executingToReady: phases('Executing', 'Ready'),
      },
      notReady: of.filter((r) => r.finalState !== 'Ready').length,
    };
  });
  return {
    result: {
      id: 'B1',
      title: 'launch → Ready',
      rows: bySize.map((s) => ({
        id: 'B1',
        figure: `launch → Ready, ${s.n} instance${s.n > 1 ? 's' : ''} (median of ${B1.repetitions})`,
        measured: `${(s.toReadyMs / 1000).toFixed(2)} s${s.notReady ? ` (${s.notReady} not Ready)` : ''}`,
        reference: `ideal ${(s.idealMs / 1000).toFixed(2)} s (boot ${B1.bootSeconds} s + ${Math.ceil(s.n / B1.workers)} × ${s.waveMs.toFixed(0)} ms wave); ${round(s.ratio)}×`,
        budget: s.n === 50 ? '≤ 1.25 × ideal' : '—',
        status: s.n === 50 ? pass(s.ratio <= 1.25 && s.notReady === 0) : 'INFO',
      })),
      details: { settings: B1, bySize, runs, stepProfileN10: profile },
    },
    runs,
  };
}
