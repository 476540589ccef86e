/**
 * A scale's two writes on its run, each one transaction: the start (Ready → Scaling,
 * the scale recorded on the run, the added VMs' quota reserved, the state event) and
 * the end (Scaling → Ready, the VMs removed or rolled back given back, the events).
 * A refused start writes nothing. Both are conditioned on the run's quota entries
 * being those read (`quotaChanges`) and on its quota not released yet, so a scale and
 * FinalizeRun's release never miss or double-count each other. A marker item per scale
 * in progress (written with the start, deleted with the end) lets the execution sweep
 * find scales whose execution ended without ending them.
 */
import { DeleteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#functions/domain/errors';
import { scaleQuotaKey, type ScalePlan } from '#functions/domain/scale-plan';
import { dueItems, failedConditions, isConditionFailure } from './items';
import { indexKeys, keys } from './keys';
import { exceeded, QUOTA_UNCHANGED, quotaGivebacks, quotaUpdates } from './quota-reservations';
import { quotaFor, type Quota } from './quotas';
import { getRun, runEventItem, type RunEvent } from './runs';
import type { TableClient } from './table-client';

const MAX_TRIES = 5;

export interface ScaleStart extends ScalePlan {
  id: string;
  /** The connector of the scaled node (its added VMs' quota). */
  connector: string;
  /** Whose quota: the run's owner, or its sponsoring vendor. */
  holder: string;
}

/**
 * Moves a Ready run to Scaling with `scale` recorded and, when it adds VMs, their quota reserved.
 * @returns false when this scale had started already (a repeat)
 * @throws QuotaExceededError (nothing written) when the added VMs do not fit; ConflictError when the run is not Ready
 */
export async function startScale(table: TableClient, runId: string, scale: ScaleStart, pollsBefore: number, now: Date): Promise<boolean> {
  const counts = scale.add.length ? { [scale.connector]: scale.add.length } : {};
  const connectors = Object.keys(counts);
  for (let attempt = 1; ; attempt++) {
    const run = await getRun(table, runId);
    if (run?.scaling?.id === scale.id) return false;
    if (!run || run.state !== 'Ready' || run.quotaReleased) throw new ConflictError(`run ${runId} is ${run?.state ?? 'gone'}: only a Ready run can be scaled`);
    const limits = await Promise.all(connectors.map((c) => quotaFor(table, scale.holder, c)));
    const refusal = exceeded(connectors, limits, counts);
    if (refusal) throw refusal;
    const at = now.toISOString();
    const quotaScaled = { ...run.quotaScaled, ...(connectors.length ? { [scaleQuotaKey.added(scale.id)]: counts } : {}) };
    const scaling = { id: scale.id, node: scale.node, from: scale.from, to: scale.to, add: scale.add, remove: scale.remove, pollsBefore };
    const message = `Ready → Scaling: ${scale.node} ${scale.from} → ${scale.to}`;
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table.name,
                Key: keys.run(runId),
                UpdateExpression:
                  'SET #state = :to, updatedAt = :at, scaling = :scaling, quotaScaled = :scaled, #version = #version + :one ADD quotaChanges :one',
                ConditionExpression: `#state = :from AND attribute_not_exists(quotaReleased) AND attribute_not_exists(scaling) AND ${QUOTA_UNCHANGED}`,
                ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
                ExpressionAttributeValues: {
                  ':to': 'Scaling',
                  ':from': 'Ready',
                  ':at': at,
                  ':scaling': scaling,
                  ':scaled': quotaScaled,
                  ':one': 1,
                  ':changes': run.quotaChanges ?? 0,
                },
              },
            },
            { Put: { TableName: table.name, Item: runEventItem(run, at, { type: 'state', state: 'Scaling', previousState: 'Ready', message }) } },
            { Put: { TableName: table.name, Item: { ...keys.openScale(scale.id), ...indexKeys.openScale(at, scale.id), runId, scaleId: scale.id } } },
            ...quotaUpdates(table, scale.holder, connectors, limits as Pick<Quota, 'maxVms' | 'used' | 'source'>[], counts),
          ],
        }),
      );
      return true;
    } catch (error) {
      // The run, its quota or a limit changed since the read: read again and decide again.
      if (!(failedConditions(error).length || isConditionFailure(error)) || attempt >= MAX_TRIES) throw error;
    }
  }
}

export interface ScaleEnd {
  id: string;
  /** The scale completed: the run's node records its new multiplicity. */
  done: boolean;
  /** VMs per connector the run gives back now (removed and terminated, or a failed scale's, terminated). */
  giveBack: Record<string, number>;
  holder: string;
  /** More events written with the move (e.g. why the scale failed). */
  also?: RunEvent[];
}

/**
 * Moves a Scaling run back to Ready, giving back `end.giveBack`, once.
 * @returns false when this scale is not the run's scale in progress (ended already, or the run was terminated meanwhile)
 */
export async function endScale(table: TableClient, runId: string, end: ScaleEnd, now: Date): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const run = await getRun(table, runId);
    if (!run || run.state !== 'Scaling' || run.scaling?.id !== end.id || run.quotaReleased) return false;
    const at = now.toISOString();
    const { node, to, from } = run.scaling;
    const given = Object.fromEntries(Object.entries(end.giveBack).filter(([, n]) => n > 0));
    const key = end.done ? scaleQuotaKey.removed(end.id) : scaleQuotaKey.rolledBack(end.id);
    const quotaScaled = {
      ...run.quotaScaled,
      ...(Object.keys(given).length ? { [key]: Object.fromEntries(Object.entries(given).map(([c, n]) => [c, -n])) } : {}),
    };
    const nodes = end.done ? { ...run.nodes, [node]: { ...run.nodes[node], multiplicity: to } } : run.nodes;
    const message = end.done ? `Scaling → Ready: ${node} ${from} → ${to}` : `Scaling → Ready: ${node} stays at ${from}`;
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table.name,
                Key: keys.run(runId),
                UpdateExpression:
                  'SET #state = :to, updatedAt = :at, quotaScaled = :scaled, nodes = :nodes, #version = #version + :one ADD quotaChanges :one REMOVE scaling',
                ConditionExpression: `#state = :from AND scaling.id = :id AND attribute_not_exists(quotaReleased) AND ${QUOTA_UNCHANGED}`,
                ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
                ExpressionAttributeValues: {
                  ':to': 'Ready',
                  ':from': 'Scaling',
                  ':at': at,
                  ':id': end.id,
                  ':scaled': quotaScaled,
                  ':nodes': nodes,
                  ':one': 1,
                  ':changes': run.quotaChanges ?? 0,
                },
              },
            },
            ...(end.also ?? []).map((event) => ({ Put: { TableName: table.name, Item: runEventItem(run, at, event) } })),
            { Put: { TableName: table.name, Item: runEventItem(run, at, { type: 'state', state: 'Ready', previousState: 'Scaling', message }) } },
            { Delete: { TableName: table.name, Key: keys.openScale(end.id) } },
            ...quotaGivebacks(table, end.holder, given),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (!(failedConditions(error).length || isConditionFailure(error)) || attempt >= MAX_TRIES) throw error;
    }
  }
}

/** A scale in progress as the execution sweep finds it. */
export interface OpenScale {
  runId: string;
  scaleId: string;
}

/** The scales that started at or before `startedBy` and have not ended (oldest first), through their markers in the expiry index. */
export async function listOpenScales(table: TableClient, startedBy: Date): Promise<OpenScale[]> {
  const items = await dueItems(table, indexKeys.openScale('', '').expPk, startedBy, { attributes: ['runId', 'scaleId'] });
  return items.map((item) => ({ runId: String(item.runId), scaleId: String(item.scaleId) }));
}

/** Drops the marker of a scale that ended without its end (the run was terminated during it). */
export async function dropOpenScale(table: TableClient, scaleId: string): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.name, Key: keys.openScale(scaleId) }));
}
