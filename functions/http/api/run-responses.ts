/** What a run and its instances show users: the mapping from stored items to the `Run` and `Instance` schemas. */
import type { InstanceDoc, RunDoc } from '#functions/store/runs';
import type { InstanceResponse, RunResponse } from '#functions/schemas/runs';

/** An instance without its intent bookkeeping (phase, credential, token hash, planned image). */
export function toInstanceResponse(i: InstanceDoc): InstanceResponse {
  return {
    name: i.name,
    node: i.node,
    index: i.index,
    connector: i.connector,
    cloudId: i.cloudId,
    state: i.state,
    rawState: i.rawState,
    ip: i.ip,
    ready: i.ready,
    parameters: i.parameters,
    error: i.error,
    drift: i.drift,
  };
}

/**
 * A run as the product contract shows it; quota reservations, boot polls, image
 * versions are the steps' bookkeeping and stay in the table.
 * `instances` is given when one run is read.
 */
export function toRunResponse(run: RunDoc, instances?: InstanceDoc[]): RunResponse {
  return {
    id: run.id,
    owner: run.owner,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    version: run.version,
    deployment: run.deployment,
    deploymentVersion: run.deploymentVersion,
    connector: run.connector,
    nodes: run.nodes,
    state: run.state,
    ...(run.migratedFrom ? { migratedFrom: run.migratedFrom } : {}),
    ...(run.migratedTo ? { migratedTo: run.migratedTo } : {}),
    ...(run.migrating ? { migrating: run.migrating } : {}),
    ...(run.scaling ? { scaling: { node: run.scaling.node, from: run.scaling.from, to: run.scaling.to } } : {}),
    abortReason: run.abortReason,
    expiresAt: run.expiresAt,
    tags: run.tags,
    budgetWaitMs: run.budgetWaitMs,
    ...(instances ? { instances: instances.map(toInstanceResponse) } : {}),
  };
}
