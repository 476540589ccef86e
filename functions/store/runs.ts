/**
 * Runs, their instances and events. A run's state moves only along the
 * lifecycle (conditional writes); every move is recorded as an event.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { canMove, type InstanceState, type RunState } from '#functions/domain/run-states';
import type { InstanceTag } from '#connectors/contract';
import type { PlannedInstance } from '#functions/domain/run-plan';
import { getItem, isConditionFailure, queryAll, toResource } from './items';
import { indexKeys, keys } from './keys';
import type { TableClient } from './table-client';

export interface RunDoc {
  id: string;
  owner: string;
  deployment: string;
  deploymentVersion: number;
  connector?: string;
  nodes: Record<string, { connector?: string; multiplicity?: number }>;
  state: RunState;
  abortReason?: string;
  expiresAt?: string;
  tags: Record<string, string>;
  /** VMs reserved per connector, once ReserveQuota has run. */
  quotaReserved?: Record<string, number>;
  quotaReleased?: boolean;
  bootPolls?: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A planned instance plus what the run learns about it as it goes. */
export interface InstanceDoc extends PlannedInstance {
  run: string;
  credentialId: string;
  /** planned → creating → created; terminating → terminated (or error). */
  phase: 'planned' | 'creating' | 'created' | 'terminating' | 'terminated';
  state: InstanceState;
  rawState?: string;
  cloudId?: string;
  ip?: string;
  parameters: Record<string, string>;
  ready?: boolean;
  drift?: string;
  error?: string;
  /** Hash of the run token handed to this VM (revoked when the run ends). */
  tokenHash?: string;
  createdAt?: string;
  terminatedAt?: string;
}

export const tagOf = (i: Pick<InstanceDoc, 'run' | 'node' | 'index'>): InstanceTag => ({ run: i.run, node: i.node, index: i.index });

export async function putRun(table: TableClient, run: RunDoc): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        ...keys.run(run.id),
        ...indexKeys.byOwner('run', run.owner, `${run.createdAt}#${run.id}`),
        ...indexKeys.byType('run', `${run.createdAt}#${run.id}`),
        ...(run.expiresAt ? indexKeys.byExpiry(run.expiresAt, run.id) : {}),
        ...run,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getRun(table: TableClient, id: string): Promise<RunDoc | undefined> {
  const item = await getItem(table, keys.run(id));
  return item ? toResource<RunDoc>(item) : undefined;
}

export async function appendEvent(table: TableClient, runId: string, now: Date, event: { type: string; message: string; state?: RunState }): Promise<void> {
  const at = now.toISOString();
  await table.doc.send(new PutCommand({ TableName: table.name, Item: { ...keys.runEvent(runId, at, ulid()), run: runId, at, ...event } }));
}

/**
 * Moves a run to `to` if the lifecycle allows it from its current state.
 * Returns false when the run is already there (a repeated step) or cannot move.
 */
export async function moveRun(table: TableClient, runId: string, to: RunState, now: Date, set: Record<string, unknown> = {}, remove: string[] = []): Promise<boolean> {
  const run = await getRun(table, runId);
  if (!run || run.state === to || !canMove(run.state, to)) return false;
  const fields = Object.entries({ ...set, state: to, updatedAt: now.toISOString() });
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.run(runId),
        UpdateExpression:
          `SET ${fields.map((_, i) => `#s${i} = :s${i}`).join(', ')}, #version = #version + :one` + (remove.length ? ` REMOVE ${remove.join(', ')}` : ''),
        ConditionExpression: '#state = :from',
        ExpressionAttributeNames: { ...Object.fromEntries(fields.map(([k], i) => [`#s${i}`, k])), '#state': 'state', '#version': 'version' },
        ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([, v], i) => [`:s${i}`, v])), ':from': run.state, ':one': 1 },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return moveRun(table, runId, to, now, set, remove);
    throw error;
  }
  await appendEvent(table, runId, now, { type: 'state', state: to, message: `${run.state} → ${to}` });
  return true;
}

export async function listRunInstances(table: TableClient, runId: string): Promise<InstanceDoc[]> {
  const prefix = keys.instancePrefix(runId);
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
    ConsistentRead: true,
  });
  return items.map((i) => toResource<InstanceDoc>(i));
}

/** Sets fields on an instance; `onlyIfPhase` makes it conditional on the phase it is in. */
export async function updateInstance(
  table: TableClient,
  tag: InstanceTag,
  set: Record<string, unknown>,
  options: { onlyIfPhase?: InstanceDoc['phase'][]; remove?: string[] } = {},
): Promise<boolean> {
  const fields = Object.entries(set).filter(([, v]) => v !== undefined);
  const phases = options.onlyIfPhase ?? [];
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.instance(tag.run, tag.node, tag.index),
        UpdateExpression:
          (fields.length ? `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}` : '') +
          (options.remove?.length ? ` REMOVE ${options.remove.join(', ')}` : ''),
        ConditionExpression: phases.length ? `#phase IN (${phases.map((_, i) => `:p${i}`).join(', ')})` : 'attribute_exists(pk)',
        ExpressionAttributeNames: { ...Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])), ...(phases.length ? { '#phase': 'phase' } : {}) },
        ExpressionAttributeValues: {
          ...Object.fromEntries(fields.map(([, v], i) => [`:f${i}`, v])),
          ...Object.fromEntries(phases.map((p, i) => [`:p${i}`, p])),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
