/**
 * The local Step Functions engine: runs the product's state machine definitions with
 * aws-local-stepfunctions, keeps every execution's record in the Slipway table, and
 * answers the Step Functions API operations the server exposes (same inputs and
 * outputs as `@aws-sdk/client-sfn`).
 */
import { randomUUID } from 'node:crypto';
import type * as Sfn from '@aws-sdk/client-sfn';
import type { TableClient } from '#functions/store/table-client';
import * as store from './execution-store';
import { executionArn, isValidName } from './sfn-arns';
import { prepareStateMachine, type LocalStateMachine, type PreparedStateMachine } from './sfn-definition';
import { SfnApiError } from './sfn-errors';
import { LiveExecution } from './sfn-execution';
import { parseExecutionInput, sameInput } from './sfn-input';
import { decodeHistory, encodeHistory } from './sfn-history';
import * as queries from './sfn-queries';

export type { LocalStateMachine, TaskHandler } from './sfn-definition';

export interface LocalSfnRunnerOptions {
  /** The Slipway table, where execution records are kept. */
  table: TableClient;
  /** The state machines it runs; their names must be unique. */
  stateMachines: readonly LocalStateMachine[];
}

/**
 * One per process. Executions run in memory; their records (status, input, output,
 * dates, history once ended) live in the table, which every read operation consults.
 */
export class LocalSfnRunner {
  private readonly table: TableClient;
  private readonly machines = new Map<string, PreparedStateMachine>();
  private readonly live = new Map<string, { execution: LiveExecution; done: Promise<void> }>();
  /** Marks this runner's executions in the table, so only it ends them. */
  private readonly owner = randomUUID();
  private closed = false;

  /** Validates every definition; throws on an unknown placeholder or an invalid definition. */
  constructor(options: LocalSfnRunnerOptions) {
    this.table = options.table;
    for (const source of options.stateMachines) {
      if (this.machines.has(source.name)) throw new Error(`Two local state machines are named "${source.name}"`);
      this.machines.set(source.name, prepareStateMachine(source));
    }
  }

  /**
   * Starts an execution, or — for a name already RUNNING with the same input —
   * returns that one, as AWS does; any other reuse of a name is ExecutionAlreadyExists.
   */
  async startExecution(request: Sfn.StartExecutionInput): Promise<Sfn.StartExecutionOutput> {
    if (this.closed) throw new Error('The local Step Functions runner is closed');
    const machine = queries.findStateMachine(this.machines, request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!isValidName(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = request.input ?? '{}';
    const parsed = parseExecutionInput(input);
    const record: store.ExecutionRecord = {
      stateMachine: machine.name,
      name,
      executionArn: executionArn(machine.name, name),
      stateMachineArn: machine.arn,
      status: 'RUNNING',
      input,
      startDate: new Date().toISOString(),
      owner: this.owner,
    };
    const existing = await store.createExecution(this.table, record);
    if (existing) {
      if (existing.status === 'RUNNING' && sameInput(existing.input, parsed)) {
        return { executionArn: existing.executionArn, startDate: new Date(existing.startDate) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    this.launch(machine, record, parsed);
    return { executionArn: record.executionArn, startDate: new Date(record.startDate) };
  }

  /** Aborts a RUNNING execution; a finished one is left as it is and its stop date returned. */
  async stopExecution(request: Sfn.StopExecutionInput): Promise<Sfn.StopExecutionOutput> {
    const record = await queries.findExecution(this.table, request.executionArn);
    const live = this.live.get(record.executionArn);
    if (live) {
      live.execution.stop(request.error, request.cause);
      await live.done;
    } else if (record.status === 'RUNNING') {
      // Interrupted and not resumed yet: nothing runs, so only the record changes.
      const stopDate = new Date().toISOString();
      await store.endExecution(this.table, record, { status: 'ABORTED', error: request.error, cause: request.cause, stopDate });
    }
    const stopped = await queries.findExecution(this.table, record.executionArn);
    return { stopDate: new Date(stopped.stopDate ?? Date.now()) };
  }

  async describeExecution(request: Sfn.DescribeExecutionInput): Promise<Sfn.DescribeExecutionOutput> {
    return queries.describeExecution(await queries.findExecution(this.table, request.executionArn));
  }

  async listExecutions(request: Sfn.ListExecutionsInput): Promise<Sfn.ListExecutionsOutput> {
    return queries.listStateMachineExecutions(this.table, this.machines, request);
  }

  /** Live events for an execution running here; the stored ones otherwise (none for one running elsewhere). */
  async getExecutionHistory(request: Sfn.GetExecutionHistoryInput): Promise<Sfn.GetExecutionHistoryOutput> {
    const record = await queries.findExecution(this.table, request.executionArn);
    const live = this.live.get(record.executionArn);
    const events = live ? live.execution.history.events : decodeHistory(await store.getExecutionHistory(this.table, record.stateMachine, record.name));
    return queries.historyPage(events, request);
  }

  async listStateMachines(request: Sfn.ListStateMachinesInput = {}): Promise<Sfn.ListStateMachinesOutput> {
    return queries.listStateMachines(this.machines, request);
  }

  async describeStateMachine(request: Sfn.DescribeStateMachineInput): Promise<Sfn.DescribeStateMachineOutput> {
    return queries.describeStateMachine(queries.findStateMachine(this.machines, request.stateMachineArn));
  }

  /** Resolves once an execution running here has ended and its record is written; at once otherwise. */
  async waitForEnd(executionArn: string): Promise<Sfn.DescribeExecutionOutput> {
    await this.live.get(executionArn)?.done;
    return this.describeExecution({ executionArn });
  }

  /**
   * Starts again, from their recorded input and under the same name, the executions a
   * previous process left RUNNING (found through the byType index). Safe because every
   * Slipway task is idempotent. Executions of state machines this runner does not know,
   * or that another runner takes first, are left alone and listed as skipped.
   * Call it at startup: it takes over every RUNNING record not running in this runner,
   * so it assumes no other live process works on the table.
   */
  async resumeInterrupted(): Promise<{ resumed: string[]; skipped: string[] }> {
    const resumed: string[] = [];
    const skipped: string[] = [];
    for (const record of await store.listRunningExecutions(this.table)) {
      if (this.live.has(record.executionArn)) continue;
      const machine = this.machines.get(record.stateMachine);
      if (machine && !this.closed && (await store.takeOverExecution(this.table, record, this.owner))) {
        this.launch(machine, { ...record, owner: this.owner }, JSON.parse(record.input));
        resumed.push(record.executionArn);
      } else {
        skipped.push(record.executionArn);
      }
    }
    return { resumed, skipped };
  }

  /**
   * Stops every execution running here WITHOUT recording an end: a shutdown is an
   * interruption, not a StopExecution, so the records stay RUNNING and the next
   * process's resumeInterrupted() picks them up. A task handler already in flight
   * cannot be cancelled and finishes in the background; nothing is called after it.
   */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.live.values()];
    for (const { execution } of running) execution.interrupt();
    await Promise.all(running.map(({ done }) => done));
  }

  private launch(machine: PreparedStateMachine, record: store.ExecutionRecord, input: unknown): void {
    const execution = new LiveExecution(machine, record.executionArn, record.name, input);
    const done = execution.outcome
      .then(async (outcome) => {
        if (outcome.status === 'INTERRUPTED') return;
        const history = encodeHistory(execution.history.events);
        await store.endExecution(this.table, record, { ...outcome, stopDate: new Date().toISOString(), history });
      })
      .catch((error: unknown) => console.error(`Local Step Functions: could not record the end of ${record.executionArn}`, error))
      .finally(() => this.live.delete(record.executionArn));
    this.live.set(record.executionArn, { execution, done });
  }
}
