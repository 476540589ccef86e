/**
 * B7 — sustained completed runs per second: 1-instance runs on a sim with
 * bootSeconds 0, each client launching, waiting for Ready, terminating and
 * waiting for Done, again and again (closed loop). Counted over a fixed window
 * after a warm-up; the CPU of the stack, its event loop and DynamoDB Local's JVM
 * say which of them limits it.
 */
import { appDeployment, simConnector, user } from '../support/api';
import type { BenchStack } from '../support/bench-stack';
import { cpuMeter, type CpuReport } from '../support/cpu';
import { ms, type FigureResult } from '../support/report';
import { runToReady, runTransitions, terminateRun } from '../support/runs';
import { median, round, sleep } from '../support/stats';
import { summarize } from '../support/table-counter';

export const B7 = { connector: 'sim-b7', clients: [8, 24], warmupMs: 8_000, windowMs: 25_000 } as const;

interface Level {
  clients: number;
  completed: number;
  perSecond: number;
  medianRunMs: number;
  tableCommandsPerRun: number;
  cloudCallsPerRun: number;
  cpu: CpuReport;
}

/**
 * Names what limited the best level, from where the CPU went: a starved process
 * (busy loop, few cores: the machine is full), a saturated event loop, a busy JVM,
 * or none of them (then each run's own latency, its poll waits, is the limit).
 */
function bottleneck(level: Level, transitionsPerRun: number): string {
  const { cpu } = level;
  const seen = `event loop ${Math.round(cpu.eventLoopUtilization * 100)}% busy, stack ${round(cpu.stackCores)} cores, DynamoDB Local ${round(cpu.jvmCores)} cores, machine ${Math.round(cpu.machineBusy * 100)}% busy`;
  if (cpu.machineBusy > 0.9 && cpu.stackCores < 0.7)
    return `CPU starvation: the machine is full with other work, so the stack's one Node thread (API, local Step Functions, ~${transitionsPerRun} transitions' handlers per run) gets a fraction of a core (${seen})`;
  if (cpu.eventLoopUtilization > 0.85)
    return `the stack's one Node thread: API, local Step Functions and ~${transitionsPerRun} transitions' handlers per run share it (${seen})`;
  if (cpu.jvmCores > 0.85) return `DynamoDB Local, ~${Math.round(level.tableCommandsPerRun)} table commands per run (${seen})`;
  return `latency, not capacity: each run waits ≥ 1 poll (pollSeconds ≥ 1 s) and runs its steps one after another (${seen})`;
}

export async function measureB7(b: BenchStack): Promise<Omit<FigureResult, 'seconds'>> {
  await simConnector(b.api, b.adminKey, B7.connector, { bootSeconds: 0 });
  const u = await user(b.api, b.adminKey, 'bench-throughput');
  await appDeployment(b.api, u.key, [B7.connector]);
  let sample: string | undefined;

  const levels: Level[] = [];
  for (const clients of B7.clients) {
    let counting = false;
    let stop = false;
    const done: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 10_000 && !stop; i++) {
        const started = Date.now();
        const run = await runToReady(b, u.key, B7.connector, 1);
        await terminateRun(b, u.key, run.runId);
        if (counting && !stop) done.push(Date.now() - started);
        sample ??= run.runId;
      }
    };
    const loops = Array.from({ length: clients }, loop);
    await sleep(B7.warmupMs);
    const opsMark = b.tableOps.mark();
    const callsMark = b.cloudCalls.mark();
    const meter = cpuMeter();
    counting = true;
    await sleep(B7.windowMs);
    stop = true;
    const cpu = meter();
    const completed = done.length;
    const ops = summarize(b.tableOps.since(opsMark));
    const calls = b.cloudCalls.since(callsMark).length;
    await Promise.all(loops);
    levels.push({
      clients,
      completed,
      perSecond: completed / (B7.windowMs / 1000),
      medianRunMs: median(done),
      tableCommandsPerRun: completed ? ops.commands / completed : Number.NaN,
      cloudCallsPerRun: completed ? calls / completed : Number.NaN,
      cpu,
    });
  }
  const transitions = sample ? await runTransitions(b, sample) : undefined;
  const perRun = transitions ? transitions.deploy.total + transitions.terminate.total : Number.NaN;
  const best = levels.reduce((m, l) => (l.perSecond > m.perSecond ? l : m), levels[0]!);
  return {
    id: 'B7',
    title: 'sustained completed runs per second',
    rows: [
      {
        id: 'B7',
        figure: `completed runs/s (launch → Ready → terminate → Done, 1 instance, boot 0), ${levels.map((l) => l.clients).join(' / ')} clients`,
        measured: levels.map((l) => `${round(l.perSecond)}/s at ${l.clients} (run ${ms(l.medianRunMs)})`).join('; '),
        reference: '—',
        budget: 'reported, bottleneck named',
        status: 'INFO',
      },
      { id: 'B7', figure: 'bottleneck at the best level', measured: bottleneck(best, perRun), reference: '—', budget: '—', status: 'INFO' },
    ],
    details: { levels, transitionsPerRun: perRun },
  };
}
