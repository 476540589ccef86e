/** Runs as tables and detail views. */
import type { InstanceT, RunT } from './api-types';
import { cell, fields, table, type Column } from './render';

export const RUN_COLUMNS: Column<RunT & { deploymentName?: string }>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'deployment', value: (r) => `${r.deploymentName ?? r.deployment} v${r.deploymentVersion}` },
  { header: 'state', value: (r) => r.state },
  { header: 'connector', value: (r) => r.connector },
  { header: 'created', value: (r) => r.createdAt.slice(0, 19).replace('T', ' ') },
  { header: 'expires', value: (r) => r.expiresAt?.slice(0, 19).replace('T', ' ') },
];

export const INSTANCE_COLUMNS: Column<InstanceT>[] = [
  { header: 'name', value: (i) => i.name },
  { header: 'state', value: (i) => i.state },
  { header: 'ready', value: (i) => (i.ready ? 'yes' : 'no') },
  { header: 'connector', value: (i) => i.connector },
  { header: 'cloud id', value: (i) => i.cloudId },
  { header: 'ip', value: (i) => i.ip },
  { header: 'parameters', value: (i) => i.parameters },
  { header: 'error', value: (i) => i.error ?? i.drift },
];

/** A run: its fields, then its instances. */
export function showRun(run: RunT, deploymentName?: string): string {
  const overrides = Object.entries(run.nodes).map(([node, o]) => `${node}=${o.connector ?? ''}${o.multiplicity ? `:${o.multiplicity}` : ''}`);
  const head = fields([
    ['run', run.id],
    ['state', run.state],
    ...(run.abortReason ? [['reason', run.abortReason] as const] : []),
    ...(run.scaling ? [['scaling', `${run.scaling.node} ${run.scaling.from} → ${run.scaling.to}`] as const] : []),
    ...(run.migratedFrom ? [['migrated from', run.migratedFrom] as const] : []),
    ...(run.migratedTo ? [['migrated to', run.migratedTo] as const] : []),
    ['deployment', `${deploymentName ?? run.deployment} v${run.deploymentVersion}`],
    ['connector', run.connector],
    ['nodes', overrides],
    ['tags', run.tags],
    ['created', run.createdAt],
    ['updated', run.updatedAt],
    ['expires', run.expiresAt],
    ...(run.budgetWaitMs ? [['budget wait', `${run.budgetWaitMs} ms`] as const] : []),
  ]);
  const instances = run.instances?.length ? table(run.instances, INSTANCE_COLUMNS) : cell(undefined);
  return `${head}\n\n${instances === '-' ? 'No instances.' : instances}`;
}
