/**
 * The read operations of the local Step Functions API, answered from the table (the
 * one source of truth for executions) and from the prepared state machines.
 */
import type * as Sfn from '@aws-sdk/client-sfn';
import type { TableClient } from '#functions/store/table-client';
import { getExecution, listExecutions, type ExecutionRecord, type ExecutionStatus } from './execution-store';
import { LOCAL_ROLE_ARN, parseExecutionArn, parseStateMachineArn } from './sfn-arns';
import type { PreparedStateMachine } from './sfn-definition';
import { SfnApiError, required } from './sfn-errors';
import { toHistoryEvent, type StoredHistoryEvent } from './sfn-history';
import { page } from './sfn-pagination';

type Machines = ReadonlyMap<string, PreparedStateMachine>;

const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** The state machine an ARN names, or StateMachineDoesNotExist. */
export function findStateMachine(machines: Machines, arn: string | undefined): PreparedStateMachine {
  const checked = required(arn, 'stateMachineArn');
  const name = parseStateMachineArn(checked);
  const machine = name === undefined ? undefined : machines.get(name);
  if (!machine) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${checked}'`);
  return machine;
}

/** The record of the execution an ARN names, or ExecutionDoesNotExist. */
export async function findExecution(table: TableClient, arn: string | undefined): Promise<ExecutionRecord> {
  const checked = required(arn, 'executionArn');
  const ids = parseExecutionArn(checked);
  const record = ids && (await getExecution(table, ids.stateMachine, ids.name));
  if (!record) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${checked}'`);
  return record;
}

export function describeExecution(record: ExecutionRecord): Sfn.DescribeExecutionOutput {
  const { executionArn, stateMachineArn, name, status, input, output, error, cause } = record;
  return { executionArn, stateMachineArn, name, status, input, output, error, cause, ...dates(record) };
}

export async function listStateMachineExecutions(table: TableClient, machines: Machines, request: Sfn.ListExecutionsInput): Promise<Sfn.ListExecutionsOutput> {
  const machine = findStateMachine(machines, request.stateMachineArn);
  const filter = request.statusFilter;
  if (filter !== undefined && !STATUSES.includes(filter as ExecutionStatus)) {
    throw new SfnApiError('ValidationException', `Unknown statusFilter '${filter}'`);
  }
  const records = (await listExecutions(table, machine.name))
    .filter((record) => filter === undefined || record.status === filter)
    // Newest first, as AWS lists them; the name breaks ties so pages stay stable.
    .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name));
  const { items, nextToken } = page(records, request);
  const executions: Sfn.ExecutionListItem[] = items.map(({ executionArn, stateMachineArn, name, status, ...rest }) => ({
    executionArn,
    stateMachineArn,
    name,
    status,
    ...dates(rest),
  }));
  return { executions, nextToken };
}

export function historyPage(events: readonly StoredHistoryEvent[], request: Sfn.GetExecutionHistoryInput): Sfn.GetExecutionHistoryOutput {
  const ordered = request.reverseOrder ? [...events].reverse() : events;
  const { items, nextToken } = page(ordered, request);
  const includeData = request.includeExecutionData ?? true;
  return { events: items.map((event) => toHistoryEvent(event, includeData)), nextToken };
}

export function listStateMachines(machines: Machines, request: Sfn.ListStateMachinesInput): Sfn.ListStateMachinesOutput {
  const sorted = [...machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  const { items, nextToken } = page(sorted, request);
  const stateMachines = items.map(({ arn, name, createdAt }) => ({
    stateMachineArn: arn,
    name,
    type: 'STANDARD' as const,
    creationDate: createdAt,
  }));
  return { stateMachines, nextToken };
}

export function describeStateMachine(machine: PreparedStateMachine): Sfn.DescribeStateMachineOutput {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    status: 'ACTIVE',
    definition: JSON.stringify(machine.definition),
    roleArn: LOCAL_ROLE_ARN,
    type: 'STANDARD',
    creationDate: machine.createdAt,
  };
}

function dates(record: Pick<ExecutionRecord, 'startDate' | 'stopDate'>): { startDate: Date; stopDate?: Date } {
  return { startDate: new Date(record.startDate), stopDate: record.stopDate ? new Date(record.stopDate) : undefined };
}
