/**
 * What the create and terminate Maps iterate: the run's instances, ids only, in
 * one flat list, and how many of them may be worked on at once. One Map level
 * instead of one per connector costs a run two state transitions fewer; its
 * concurrency is the smallest `maxIaasWorkers` of the connectors the run uses, so
 * no connector ever sees more than its own limit at once.
 */
import { getConnector } from '#functions/store/connectors';
import type { TableClient } from '#functions/store/table-client';
import type { InstanceDoc } from '#functions/store/runs';

export interface InstanceRef {
  runId: string;
  node: string;
  index: number;
}

export interface InstanceWork {
  instances: InstanceRef[];
  /** At least 1: a connector that no longer exists gets one worker at a time. */
  maxIaasWorkers: number;
}

export async function instanceWork(table: TableClient, runId: string, instances: Pick<InstanceDoc, 'connector' | 'node' | 'index'>[]): Promise<InstanceWork> {
  const connectors = [...new Set(instances.map((i) => i.connector))];
  const limits = await Promise.all(connectors.map(async (name) => (await getConnector(table, name))?.maxIaasWorkers ?? 1));
  return {
    instances: instances.map((i) => ({ runId, node: i.node, index: i.index })),
    maxIaasWorkers: limits.length ? Math.max(1, Math.min(...limits)) : 1,
  };
}
