/** What the teardown Map iterates: the run's instances grouped by connector, ids only. */
import { getConnector } from '#functions/store/connectors';
import type { TableClient } from '#functions/store/table-client';
import type { InstanceDoc } from '#functions/store/runs';

export interface InstanceRef {
  runId: string;
  node: string;
  index: number;
}

export interface ConnectorGroup {
  connector: string;
  maxIaasWorkers: number;
  instances: InstanceRef[];
}

export async function groupByConnector(
  table: TableClient,
  runId: string,
  instances: Pick<InstanceDoc, 'connector' | 'node' | 'index'>[],
): Promise<ConnectorGroup[]> {
  const groups = new Map<string, InstanceRef[]>();
  for (const i of instances) groups.set(i.connector, [...(groups.get(i.connector) ?? []), { runId, node: i.node, index: i.index }]);
  return Promise.all(
    [...groups].map(async ([connector, refs]) => ({
      connector,
      maxIaasWorkers: (await getConnector(table, connector))?.maxIaasWorkers ?? 1,
      instances: refs,
    })),
  );
}
