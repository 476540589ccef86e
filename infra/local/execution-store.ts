/**
 * Execution records of the local Step Functions, kept in the Slipway table so they
 * outlive the process. A RUNNING record carries the byType index attributes
 * (`sfnexec-running`), which is how a restarted runner finds what it must resume
 * without scanning; they are removed when the execution ends.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#functions/store/items';
import { executionKeys } from './execution-keys';
import { TABLE } from '#functions/store/table';
import type { TableClient } from '#functions/store/table-client';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  stateMachine: string;
  name: string;
  executionArn: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  /** The input exactly as StartExecution received it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** ISO 8601, milliseconds. */
  startDate: string;
  stopDate?: string;
  /** The runner that executes it; only that runner may end it or hand it over. */
  owner: string;
}

/** How an execution ended, with its gzipped history. */
export interface ExecutionEnd {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: string;
  error?: string;
  cause?: string;
  stopDate: string;
  history?: Uint8Array;
}

const RECORD_FIELDS = [
  'stateMachine',
  'name',
  'executionArn',
  'stateMachineArn',
  'status',
  'input',
  'output',
  'error',
  'cause',
  'startDate',
  'stopDate',
  'owner',
] as const satisfies readonly (keyof ExecutionRecord)[];

/** Reads every record field and nothing else (`name`, `status` are reserved words, hence the aliases). */
const PROJECTION = {
  ProjectionExpression: RECORD_FIELDS.map((_, i) => `#f${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(RECORD_FIELDS.map((field, i) => [`#f${i}`, field])),
};

const RUNNING_INDEX_PK = executionKeys.runningPartition;

/** AWS keeps a closed execution for 90 days; the table's TTL does the same here. */
const CLOSED_RETENTION_SECONDS = 90 * 24 * 60 * 60;

/**
 * Creates the record of a new RUNNING execution unless one with that name exists —
 * a conditional write, so two starts with one name never both succeed.
 * @returns the existing record when the name was taken, else undefined.
 */
export async function createExecution(table: TableClient, record: ExecutionRecord): Promise<ExecutionRecord | undefined> {
  const key = executionKeys.execution(record.stateMachine, record.name);
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...key, ...executionKeys.running(`${record.startDate}#${record.executionArn}`), ...record },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
      }),
    );
    return undefined;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const existing = await getExecution(table, record.stateMachine, record.name);
  if (!existing) throw new Error(`Execution ${record.executionArn} vanished while being started`);
  return existing;
}

export async function getExecution(table: TableClient, stateMachine: string, name: string): Promise<ExecutionRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.name, Key: executionKeys.execution(stateMachine, name), ConsistentRead: true, ...PROJECTION }),
  );
  return Item as ExecutionRecord | undefined;
}

/** The gzipped history stored when the execution ended (nothing while it runs). */
export async function getExecutionHistory(table: TableClient, stateMachine: string, name: string): Promise<Uint8Array | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.name, Key: executionKeys.execution(stateMachine, name), ProjectionExpression: 'history' }),
  );
  return Item?.history as Uint8Array | undefined;
}

/** Every execution of one state machine, in no particular order. */
export async function listExecutions(table: TableClient, stateMachine: string): Promise<ExecutionRecord[]> {
  const { pk } = executionKeys.executionPrefix(stateMachine);
  return (await queryAll(table, {
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { ...PROJECTION.ExpressionAttributeNames, '#pk': TABLE.partitionKey },
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: PROJECTION.ProjectionExpression,
  })) as unknown as ExecutionRecord[];
}

/** Every RUNNING execution of any state machine, oldest first, through the byType index. */
export async function listRunningExecutions(table: TableClient): Promise<ExecutionRecord[]> {
  const { partitionKey } = TABLE.indexes.byType;
  return (await queryAll(table, {
    IndexName: TABLE.indexes.byType.name,
    KeyConditionExpression: '#ipk = :ipk',
    ExpressionAttributeNames: { ...PROJECTION.ExpressionAttributeNames, '#ipk': partitionKey },
    ExpressionAttributeValues: { ':ipk': RUNNING_INDEX_PK },
    ProjectionExpression: PROJECTION.ProjectionExpression,
  })) as unknown as ExecutionRecord[];
}

/**
 * Records how a RUNNING execution ended, takes it out of the running index and sets
 * its expiry.
 * @returns false when it is no longer RUNNING under `record.owner` (someone else ended or took it).
 */
export async function endExecution(table: TableClient, record: ExecutionRecord, end: ExecutionEnd): Promise<boolean> {
  const ttl = Math.floor(Date.parse(end.stopDate) / 1000) + CLOSED_RETENTION_SECONDS;
  const fields = Object.entries({ ...end, [TABLE.ttlAttribute]: ttl }).filter(([, value]) => value !== undefined);
  const { partitionKey, sortKey } = TABLE.indexes.byType;
  return conditionalUpdate(table, record, {
    UpdateExpression: `SET ${fields.map((_, i) => `#s${i} = :s${i}`).join(', ')} REMOVE #ipk, #isk`,
    ExpressionAttributeNames: {
      ...Object.fromEntries(fields.map(([field], i) => [`#s${i}`, field])),
      '#ipk': partitionKey,
      '#isk': sortKey,
    },
    ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:s${i}`, value])),
  });
}

/**
 * Makes `owner` the runner of a RUNNING execution another runner left behind.
 * @returns false when it is no longer RUNNING under its recorded owner.
 */
export async function takeOverExecution(table: TableClient, record: ExecutionRecord, owner: string): Promise<boolean> {
  return conditionalUpdate(table, record, {
    UpdateExpression: 'SET #newOwner = :newOwner',
    ExpressionAttributeNames: { '#newOwner': 'owner' },
    ExpressionAttributeValues: { ':newOwner': owner },
  });
}

interface UpdateParts {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

async function conditionalUpdate(table: TableClient, record: ExecutionRecord, update: UpdateParts): Promise<boolean> {
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: executionKeys.execution(record.stateMachine, record.name),
        UpdateExpression: update.UpdateExpression,
        ConditionExpression: '#cStatus = :running AND #cOwner = :cOwner',
        ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#cStatus': 'status', '#cOwner': 'owner' },
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':running': 'RUNNING', ':cOwner': record.owner },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
