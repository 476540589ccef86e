/**
 * Where the CPU went while a figure ran: this process (the whole local stack:
 * API, local Step Functions, every handler), its event loop's utilization,
 * DynamoDB Local's JVM (a descendant process), and the machine as a whole.
 * Read from /proc (Linux); absent elsewhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { performance as perf, type EventLoopUtilization } from 'node:perf_hooks';

const eventLoopUtilization = perf.eventLoopUtilization.bind(perf);

const TICKS_PER_SECOND = 100;

function stat(pid: number): { ppid: number; ticks: number; comm: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), comm: text.slice(text.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

/** CPU ticks of the java processes descending from this one. */
function jvmTicks(): number {
  if (!existsSync('/proc/self/stat')) return 0;
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const parents = new Map(all.map((pid) => [pid, stat(pid)] as const));
  const descends = (pid: number) => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      p = parents.get(p)?.ppid ?? 0;
      if (p === process.pid) return true;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of parents) if (s?.comm === 'java' && descends(pid)) ticks += s.ticks;
  return ticks;
}

function machineTicks(): { idle: number; total: number } {
  if (!existsSync('/proc/stat')) return { idle: 0, total: 0 };
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: (cpu[3] ?? 0) + (cpu[4] ?? 0), total: cpu.reduce((a, b) => a + b, 0) };
}

export interface CpuReport {
  /** Cores this process used on average (1.0 = one core busy all the time). */
  stackCores: number;
  /** Share of the wall time the main thread's event loop was busy. */
  eventLoopUtilization: number;
  jvmCores: number;
  /** Share of the whole machine that was busy (everyone's work). */
  machineBusy: number;
}

/** Starts measuring; call the returned function to get the report. */
export function cpuMeter(): () => CpuReport {
  const wall = performance.now();
  const usage = process.cpuUsage();
  const elu: EventLoopUtilization = eventLoopUtilization();
  const jvm = jvmTicks();
  const machine = machineTicks();
  return () => {
    const seconds = (performance.now() - wall) / 1000;
    const used = process.cpuUsage(usage);
    const m = machineTicks();
    return {
      stackCores: (used.user + used.system) / 1e6 / seconds,
      eventLoopUtilization: eventLoopUtilization(elu).utilization,
      jvmCores: (jvmTicks() - jvm) / TICKS_PER_SECOND / seconds,
      machineBusy: m.total > machine.total ? 1 - (m.idle - machine.idle) / (m.total - machine.total) : Number.NaN,
    };
  };
}
