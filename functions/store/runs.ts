/**
 * Runs, their instances and events. A run's state moves only along the
 * lifecycle (conditional writes); every move is recorded as an event, and so is
 * every change of an instance's state, in the same transaction as the change.
 * Event items carry what a subscriber needs (run, owner, time, what changed):
 * the table's stream publishes them (functions/events).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import * as z from 'zod';
import { Instance, Run } from '#functions/schemas/runs';
import { canMove, type InstanceState, type RunState } from '#functions/domain/run-states';
import type { InstanceTag } from '#connectors/contract';
import type { PlannedInstance } from '#functions/domain/run-plan';
import { dueItems, failedConditions, getItem, isConditionFailure, queryAll, toResource } from './items';
import { TABLE } from './table';
import { indexKeys, keys } from './keys';
import type { TableClient } from './table-client';

/**
 * A run as stored: what users see (the API's `Run`, without instances, which are
 * items of their own) plus the steps' bookkeeping, which never leaves the table.
 */
export const StoredRun = Run.omit({ instances: true }).extend({
  /**
   * A run an order launched for a customer: it uses the vendor's credential and counts
   * against the vendor's quota (the customer owns the run but never sees the credential).
   */
  sponsor: z.object({ user: z.string(), order: z.string() }).optional(),
  /** VMs reserved per connector, once InitializeRun has reserved them. */
  quotaReserved: z.record(z.string(), z.number()).optional(),
  quotaReleased: z.boolean().optional(),
  /** Each scale's signed quota entry per connector (`functions/domain/scale-plan.ts`), released with `quotaReserved`. */
  quotaScaled: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  /** Counts the scales' quota moves: a release or a scale acts only on the entries it read. */
  quotaChanges: z.number().optional(),
  /** The scale in progress (state Scaling): its execution name and what it adds and removes. */
  scaling: z
    .object({
      id: z.string(),
      node: z.string(),
      from: z.number(),
      to: z.number(),
      add: z.array(z.number()),
      remove: z.array(z.number()),
      pollsBefore: z.number(),
    })
    .optional(),
  bootPolls: z.number().optional(),
  /** Each node's image chain (child first), as `{id, version}`. */
  imageVersions: z.record(z.string(), z.array(z.object({ id: z.string(), version: z.number() }))).optional(),
  /** The instant a still-live VM is metered up to, fixed by FinalizeRun's first attempt so a retry writes the same usage. */
  meteredUntil: z.iso.datetime().optional(),
});
export type RunDoc = z.output<typeof StoredRun>;

/** An instance as stored: what users see, its plan, and the intent bookkeeping that makes every step idempotent. */
export const StoredInstance = Instance.extend({
  run: z.string(),
  /** The run's owner, written with the intent so that the instance's events name it without a read (absent on older items). */
  owner: z.string().optional(),
  credentialId: z.string(),
  /** planned → creating → created; terminating → terminated (or error). */
  phase: z.enum(['planned', 'creating', 'created', 'terminating', 'terminated']),
  /** Hash of the run token handed to this VM (revoked when the run ends). */
  tokenHash: z.string().optional(),
  createdAt: z.string().optional(),
  terminatedAt: z.string().optional(),
});
export type InstanceDoc = z.output<typeof StoredInstance> & PlannedInstance;

export const tagOf = (i: Pick<InstanceDoc, 'run' | 'node' | 'index'>): InstanceTag => ({ run: i.run, node: i.node, index: i.index });

/** One instance of a run, by its tag; `consistent` reads the latest write. */
export async function getInstance(table: TableClient, tag: InstanceTag, consistent = false): Promise<InstanceDoc | undefined> {
  const item = consistent
    ? (await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.instance(tag.run, tag.node, tag.index), ConsistentRead: true }))).Item
    : await getItem(table, keys.instance(tag.run, tag.node, tag.index));
  return item ? toResource<InstanceDoc>(item) : undefined;
}

/**
 * The live-instances index attributes of an instance that holds a VM: what the
 * monitor lists, grouped by connector and credential. Removing them (`LIVE_INDEX_ATTRIBUTES`)
 * takes the instance out of the index.
 */
export function liveInstanceIndex(instance: Pick<InstanceDoc, 'connector' | 'credentialId' | 'run' | 'name'>): Record<string, string> {
  return indexKeys.liveRuns(instance.connector, instance.credentialId, `${instance.run}#${instance.name}`);
}

/** The attributes that put an instance in the live-instances index. */
export const LIVE_INDEX_ATTRIBUTES = [TABLE.indexes.liveRuns.partitionKey, TABLE.indexes.liveRuns.sortKey] as const;

/**
 * Stores a new run and its first event (Initializing) in one transaction: a crash
 * can never leave a run without the event that says it was created.
 * @returns false when a run with that id exists already (nothing written)
 */
export async function putRun(table: TableClient, run: RunDoc): Promise<boolean> {
  const at = run.createdAt;
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.name,
              Item: {
                ...keys.run(run.id),
                ...indexKeys.byOwner('run', run.owner, `${run.createdAt}#${run.id}`),
                ...indexKeys.byType('run', `${run.createdAt}#${run.id}`),
                ...(run.expiresAt ? indexKeys.byExpiry(run.expiresAt, run.id) : {}),
                ...run,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: table.name, Item: runEventItem(run, at, { type: 'state', state: run.state, message: 'run created' }) } },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (failedConditions(error).includes(0)) return false; // a run with this id exists: the caller decides
    throw error;
  }
}

export async function getRun(table: TableClient, id: string): Promise<RunDoc | undefined> {
  const item = await getItem(table, keys.run(id));
  return item ? toResource<RunDoc>(item) : undefined;
}

/**
 * A run's event as stored: `type` is its kind (`state`, `instance`, `drift`, `orphan`,
 * `quota-refused`, `terminate`, `sweep`), `state` a run state only; the other fields
 * say which instance or VM, when the event is about one.
 */
export interface RunEvent {
  type: string;
  message: string;
  state?: RunState;
  /** The state left: the run's (`state` events) or the VM's (`instance` events). */
  previousState?: string;
  /** `node.index`. */
  instance?: string;
  instanceState?: InstanceState;
  cloudId?: string;
  connector?: string;
}

/** The run an event belongs to: its id and, when known, its owner (read from the run otherwise). */
export type RunRef = { id: string; owner?: string };

/** The item of one run event (its key sorts by time; the ULID keeps two of one millisecond apart). */
export function runEventItem(run: RunRef, at: string, event: RunEvent): Record<string, unknown> {
  return { ...keys.runEvent(run.id, at, ulid()), run: run.id, ...(run.owner ? { owner: run.owner } : {}), at, ...event };
}

/** `run` with its owner, read from the run when the caller did not know it. */
async function withOwner(table: TableClient, run: string | RunRef): Promise<RunRef> {
  const ref = typeof run === 'string' ? { id: run } : run;
  return ref.owner ? ref : { id: ref.id, owner: (await getRun(table, ref.id))?.owner };
}

export async function appendEvent(table: TableClient, run: string | RunRef, now: Date, event: RunEvent): Promise<void> {
  await table.doc.send(new PutCommand({ TableName: table.name, Item: runEventItem(await withOwner(table, run), now.toISOString(), event) }));
}

/**
 * Moves a run to `to` if the lifecycle allows it from its current state; `also`
 * are more events written with the move's own (only when the move happens).
 * Returns false when the run is already there (a repeated step) or cannot move.
 */
export async function moveRun(
  table: TableClient,
  runId: string,
  to: RunState,
  now: Date,
  set: Record<string, unknown> = {},
  remove: string[] = [],
  also: RunEvent[] = [],
): Promise<boolean> {
  const run = await getRun(table, runId);
  if (!run || run.state === to || !canMove(run.state, to)) return false;
  const fields = Object.entries({ ...set, state: to, updatedAt: now.toISOString() });
  // The move and its event in one transaction: a crash between them cannot lose the event.
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.run(runId),
              UpdateExpression:
                `SET ${fields.map((_, i) => `#s${i} = :s${i}`).join(', ')}, #version = #version + :one` + (remove.length ? ` REMOVE ${remove.join(', ')}` : ''),
              ConditionExpression: '#state = :from',
              ExpressionAttributeNames: { ...Object.fromEntries(fields.map(([k], i) => [`#s${i}`, k])), '#state': 'state', '#version': 'version' },
              ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([, v], i) => [`:s${i}`, v])), ':from': run.state, ':one': 1 },
            },
          },
          {
            Put: {
              TableName: table.name,
              Item: runEventItem(run, now.toISOString(), { type: 'state', state: to, previousState: run.state, message: `${run.state} → ${to}` }),
            },
          },
          ...also.map((event) => ({ Put: { TableName: table.name, Item: runEventItem(run, now.toISOString(), event) } })),
        ],
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return moveRun(table, runId, to, now, set, remove, also);
    throw error;
  }
  return true;
}

/**
 * A run and its instances in one Query: they share the run's partition, and the
 * instances' sort keys (`INST#…`) come just before the run's own (`META`), after its events.
 */
export async function getRunWithInstances(table: TableClient, runId: string): Promise<{ run: RunDoc; instances: InstanceDoc[] } | undefined> {
  const { pk, skPrefix } = keys.instancePrefix(runId);
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND sk >= :from',
    ExpressionAttributeValues: { ':pk': pk, ':from': skPrefix },
    ConsistentRead: true,
  });
  const meta = items.find((item) => item.sk === keys.run(runId).sk);
  if (!meta) return undefined;
  const instances = items.filter((item) => String(item.sk).startsWith(skPrefix)).map((item) => toResource<InstanceDoc>(item));
  return { run: toResource<RunDoc>(meta), instances };
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

export interface InstanceUpdateOptions {
  /** Only while the instance is in one of these phases (false otherwise). */
  onlyIfPhase?: InstanceDoc['phase'][];
  remove?: string[];
  /** The instance as the caller read it: with a `state` to set, saves a read of the state it leaves. */
  read?: InstanceDoc;
  /** When the change happens (its event's time). @default now */
  now?: Date;
}

/** Tries of a state change that others' changes of the same instance keep overtaking. */
const STATE_CHANGE_TRIES = 5;

/** The event of an instance going from `before` to what `set` sets: a new state, or its VM recorded for the first time. */
function instanceEvent(before: InstanceDoc, set: Record<string, unknown>): RunEvent | undefined {
  const state = set.state as InstanceState;
  const cloudId = typeof set.cloudId === 'string' ? set.cloudId : before.cloudId;
  const created = typeof set.cloudId === 'string' && before.cloudId === undefined;
  if (state === before.state && !created) return undefined;
  const message = created ? `${before.name} created as ${cloudId} (${state})` : `${before.name}: ${before.state} → ${state}`;
  return { type: 'instance', instance: before.name, instanceState: state, previousState: before.state, ...(cloudId ? { cloudId } : {}), message };
}

const isTransactionConflict = (error: unknown) =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');

/**
 * Sets fields on an instance; `onlyIfPhase` makes it conditional on the phase it is in.
 * When `set` holds a `state`, the write is conditional on the state it leaves and, when
 * that state changes (or the VM is recorded for the first time), an `instance` event is
 * written in the same transaction: no change without its event, no event twice.
 * @returns false when the instance is gone or not in one of `onlyIfPhase`
 */
export async function updateInstance(
  table: TableClient,
  tag: InstanceTag,
  set: Record<string, unknown>,
  options: InstanceUpdateOptions = {},
): Promise<boolean> {
  if (set.state === undefined) return writeInstance(table, tag, set, options);
  const phases = options.onlyIfPhase ?? [];
  let before = options.read ?? (await getInstance(table, tag, true));
  for (let attempt = 1; ; attempt++) {
    if (!before || (phases.length && !phases.includes(before.phase))) return false;
    const event = instanceEvent(before, set);
    try {
      const update = instanceUpdate(table, tag, set, { ...options, stateWas: before.state });
      if (!event) await table.doc.send(new UpdateCommand(update));
      else {
        const run = await withOwner(table, { id: tag.run, owner: before.owner });
        const eventPut = { TableName: table.name, Item: runEventItem(run, (options.now ?? new Date()).toISOString(), event) };
        await table.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, { Put: eventPut }] }));
      }
      return true;
    } catch (error) {
      if (!(isConditionFailure(error) || isTransactionConflict(error)) || attempt >= STATE_CHANGE_TRIES) throw error;
      before = await getInstance(table, tag, true); // someone else changed it: look again
    }
  }
}

/** The update of an instance's fields, conditional on its phase (`onlyIfPhase`) and, with `stateWas`, on its state. */
function instanceUpdate(
  table: TableClient,
  tag: InstanceTag,
  set: Record<string, unknown>,
  options: { onlyIfPhase?: InstanceDoc['phase'][]; remove?: string[]; stateWas?: string },
) {
  const fields = Object.entries(set).filter(([, v]) => v !== undefined);
  const phases = options.onlyIfPhase ?? [];
  const conditions = [phases.length ? `#phase IN (${phases.map((_, i) => `:p${i}`).join(', ')})` : 'attribute_exists(pk)'];
  if (options.stateWas !== undefined) conditions.push('#was = :was');
  return {
    TableName: table.name,
    Key: keys.instance(tag.run, tag.node, tag.index),
    UpdateExpression:
      (fields.length ? `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}` : '') +
      (options.remove?.length ? ` REMOVE ${options.remove.join(', ')}` : ''),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: {
      ...Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
      ...(phases.length ? { '#phase': 'phase' } : {}),
      ...(options.stateWas !== undefined ? { '#was': 'state' } : {}),
    },
    ExpressionAttributeValues: {
      ...Object.fromEntries(fields.map(([, v], i) => [`:f${i}`, v])),
      ...Object.fromEntries(phases.map((p, i) => [`:p${i}`, p])),
      ...(options.stateWas !== undefined ? { ':was': options.stateWas } : {}),
    },
  };
}

/** Sets fields that are not the state. */
async function writeInstance(table: TableClient, tag: InstanceTag, set: Record<string, unknown>, options: InstanceUpdateOptions): Promise<boolean> {
  try {
    await table.doc.send(new UpdateCommand(instanceUpdate(table, tag, set, options)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Records an instance's intent before any VM exists; a repeated step finds it there already. */
export async function putInstanceIntent(table: TableClient, intent: InstanceDoc): Promise<void> {
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...keys.instance(intent.run, intent.node, intent.index), ...intent },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error; // planned by an earlier attempt
  }
}

/** Records the image versions (each node's inheritance chain) a run resolved. */
export async function recordImageVersions(table: TableClient, runId: string, versions: Record<string, unknown>): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.run(runId),
      UpdateExpression: 'SET imageVersions = :v',
      ExpressionAttributeValues: { ':v': versions },
    }),
  );
}

/** Counts one boot poll of a run; returns the count so far (for the boot deadline). */
export async function countBootPoll(table: TableClient, runId: string): Promise<number> {
  const out = await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.run(runId),
      UpdateExpression: 'ADD bootPolls :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.bootPolls ?? 1);
}

/** Ids of runs whose `expiresAt` is at or before `now`, through the sparse expiry index. */
export async function listExpiredRunIds(table: TableClient, now: Date): Promise<string[]> {
  const items = await dueItems(table, indexKeys.byExpiry('', '').expPk, now, { attributes: ['id'] });
  return items.map((item) => String(item.id));
}

/** Every instance that holds a live VM, through the sparse live-instances index. */
export async function listLiveInstances(table: TableClient): Promise<InstanceDoc[]> {
  const index = TABLE.indexes.liveRuns;
  const items = await queryAll(table, {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey },
    ExpressionAttributeValues: { ':pk': indexKeys.liveRuns('', '', '').livePk },
  });
  return items.map((item) => toResource<InstanceDoc>(item));
}

/** Adds to the time a run's cloud calls waited for the shared request budget. */
export async function addBudgetWait(table: TableClient, runId: string, waitedMs: number): Promise<void> {
  if (waitedMs <= 0) return;
  await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.run(runId),
      UpdateExpression: 'ADD budgetWaitMs :ms',
      ExpressionAttributeValues: { ':ms': Math.round(waitedMs) },
    }),
  );
}
