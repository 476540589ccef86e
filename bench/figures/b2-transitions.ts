/**
 * B2 — state transitions per run (deploy + terminate executions), counted from
 * GetExecutionHistory, as a line in N fitted over B1's runs; and the boot loop's
 * cost per second of boot time: a 1-instance run with bootSeconds 30 against 3.
 */
import type { BenchStack } from '../support/bench-stack';
import { pass, type FigureResult } from '../support/report';
import { runToReady, runTransitions, terminateRun } from '../support/runs';
import { fitLine, median, round } from '../support/stats';
import { B1, type LaunchWorld, type MeasuredRun } from './b1-launch';

export const SLOW_BOOT = { connector: 'sim-b2-slow', bootSeconds: 30 } as const;

export async function measureB2(b: BenchStack, world: LaunchWorld, runs: readonly MeasuredRun[]): Promise<Omit<FigureResult, 'seconds'>> {
  const counted: { n: number; deploy: number; terminate: number; total: number; retries: number; deployByState: Record<string, number> }[] = [];
  for (const run of runs) {
    const t = await runTransitions(b, run.runId);
    counted.push({
      n: run.n,
      deploy: t.deploy.total,
      terminate: t.terminate.total,
      total: t.deploy.total + t.terminate.total,
      retries: t.deploy.retries + t.terminate.retries,
      deployByState: t.deploy.byState,
    });
  }
  const fit = (key: 'deploy' | 'terminate' | 'total') => fitLine(counted.map((c) => ({ x: c.n, y: c[key] })));
  const total = fit('total');
  const deploy = fit('deploy');
  const terminate = fit('terminate');
  const perSize = B1.sizes.map((n) => ({ n, total: median(counted.filter((c) => c.n === n).map((c) => c.total)), budget: 8 + 4 * n }));
  const overBudget = perSize.filter((s) => s.total > s.budget);

  // The boot loop: the same 1-instance run with a 30 s boot, against B1's 3 s ones.
  const slow = await runToReady(b, world.key, SLOW_BOOT.connector, 1, 300_000);
  await terminateRun(b, world.key, slow.runId);
  const slowDeploy = (await runTransitions(b, slow.runId)).deploy;
  const fastDeploy = median(counted.filter((c) => c.n === 1).map((c) => c.deploy));
  const perSecond = (slowDeploy.total - fastDeploy) / (SLOW_BOOT.bootSeconds - B1.bootSeconds);
  const formula = (f: { a: number; b: number }) => `${round(f.a, 1)} + ${round(f.b, 2)}·N`;

  return {
    id: 'B2',
    title: 'state transitions per run',
    rows: [
      {
        id: 'B2',
        figure: 'transitions per run (deploy + terminate), fit over B1',
        measured: `${formula(total)} (N=1: ${perSize[0]!.total}, N=10: ${perSize[1]!.total}, N=50: ${perSize[2]!.total}); deploy ${formula(deploy)}, terminate ${formula(terminate)}`,
        reference: '—',
        budget: '≤ 8 + 4·N',
        status: pass(overBudget.length === 0),
      },
      {
        id: 'B2',
        figure: 'boot loop: extra transitions per second of boot (1 instance, boot 30 s vs 3 s)',
        measured: `${round(perSecond, 3)}/s (${slowDeploy.total} vs ${fastDeploy} deploy transitions)`,
        reference: '—',
        budget: '≤ 0.1/s (one per 10 s)',
        status: pass(perSecond <= 0.1),
      },
    ],
    details: { fit: { total, deploy, terminate }, perSize, runs: counted, slowBoot: { runId: slow.runId, toReadyMs: slow.toReadyMs, deploy: slowDeploy } },
  };
}
