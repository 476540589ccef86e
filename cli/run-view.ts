/**
 * What a person watching a run sees, as text: a frame (one line for the run, one
 * per node with its instances' states) for a terminal, and one line per change
 * for logs and pipes. Pure: the run and the clock come in, lines go out.
 */
import type { InstanceT, RunT } from './api-types';
import { SETTLED_STATES } from './api-types';
import { formatSeconds } from './durations';

/** A node as the run will make it: from the deployment version the run uses, with the run's overrides. */
export interface PlannedNode {
  name: string;
  connector?: string;
  multiplicity: number;
}

export interface RunView {
  run: RunT;
  /** The deployment's name and the nodes it will make; absent when the deployment could not be read. */
  deploymentName?: string;
  nodes?: PlannedNode[];
}

/** An instance in one word: `ready` once it runs and reported ready, else its state. */
export function instanceWord(instance: InstanceT): string {
  if (instance.state === 'running' && instance.ready) return 'ready';
  return instance.state;
}

function elapsed(run: RunT, now: Date): string {
  const end = SETTLED_STATES.includes(run.state) ? Date.parse(run.updatedAt) : now.getTime();
  return formatSeconds((end - Date.parse(run.createdAt)) / 1000);
}

function nodeRows(view: RunView): { name: string; connector?: string; cells: string[] }[] {
  const instances = view.run.instances ?? [];
  const planned: PlannedNode[] = view.nodes ?? [...new Set(instances.map((i) => i.node))].map((name) => ({ name, multiplicity: 0 }));
  return planned.map((node) => {
    const own = instances.filter((i) => i.node === node.name).sort((a, b) => a.index - b.index);
    const cells = own.map((i) => `${i.name} ${instanceWord(i)}`);
    for (let index = own.length + 1; index <= node.multiplicity; index++) cells.push(`${node.name}.${index} waiting`);
    return { name: node.name, connector: own[0]?.connector ?? node.connector, cells };
  });
}

/** The run's headline: id, deployment, state, time since launch. */
export function headline(view: RunView, now: Date): string {
  const what = view.deploymentName ? `${view.deploymentName} v${view.run.deploymentVersion}` : `${view.run.deployment} v${view.run.deploymentVersion}`;
  return `${view.run.id}  ${what}  ${view.run.state}  ${elapsed(view.run, now)}`;
}

/** The frame a terminal shows: the headline, then one line per node, then the abort reason if any. */
export function frame(view: RunView, now: Date): string[] {
  const rows = nodeRows(view);
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const connectorWidth = Math.max(1, ...rows.map((r) => (r.connector ?? '-').length));
  const lines = [headline(view, now)];
  for (const row of rows) lines.push(`  ${row.name.padEnd(nameWidth)}  ${(row.connector ?? '-').padEnd(connectorWidth)}  ${row.cells.join('  ') || '-'}`);
  if (view.run.abortReason) lines.push(`  reason: ${view.run.abortReason}`);
  return lines;
}

const clock = (now: Date) => now.toISOString().slice(11, 19);

function instanceChange(before: InstanceT | undefined, after: InstanceT): string | undefined {
  const word = instanceWord(after);
  const was = before && instanceWord(before);
  const details = [
    !before && `on ${after.connector}`,
    after.ip && after.ip !== before?.ip && after.ip,
    after.error && after.error !== before?.error && `error: ${after.error}`,
    after.drift && after.drift !== before?.drift && `drift: ${after.drift}`,
  ].filter(Boolean);
  if (word === was && !details.length) return undefined;
  return [after.name, word, ...details].join(' ');
}

/**
 * What changed from `before` to `after`, one line each (`before` undefined: the first look),
 * each line `HH:MM:SS <run id> <what>`.
 */
export function changes(before: RunView | undefined, after: RunView, now: Date): string[] {
  const prefix = `${clock(now)} ${after.run.id}`;
  const lines: string[] = [];
  if (!before) lines.push(`${prefix} ${after.run.state} (${after.deploymentName ?? after.run.deployment} v${after.run.deploymentVersion})`);
  else if (before.run.state !== after.run.state) lines.push(`${prefix} ${after.run.state}`);
  const previous = new Map((before?.run.instances ?? []).map((i) => [i.name, i]));
  for (const instance of after.run.instances ?? []) {
    const change = instanceChange(previous.get(instance.name), instance);
    if (change) lines.push(`${prefix} ${change}`);
  }
  if (after.run.abortReason && after.run.abortReason !== before?.run.abortReason) lines.push(`${prefix} reason: ${after.run.abortReason}`);
  return lines;
}
