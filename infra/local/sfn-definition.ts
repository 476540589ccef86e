/**
 * Turns a definition written for CDK — every Task `Resource` a DefinitionSubstitutions
 * placeholder such as `${CreateInstanceFunctionArn}` — into a state machine that
 * aws-local-stepfunctions runs with local handlers in place of the Lambdas.
 */
import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { fakeFunctionArn, isValidName, stateMachineArn } from './sfn-arns';
import { definitionPlaceholders, forEachState, wholePlaceholder } from './sfn-placeholders';

/** What a Lambda behind a Task does, called in-process with the Task's input. */
export type TaskHandler = (input: unknown) => Promise<unknown>;

/** A state machine as the local runner receives it. */
export interface LocalStateMachine {
  /** Its name; the ARN is `arn:aws:states:us-east-1:000000000000:stateMachine:<name>`. */
  name: string;
  /** The ASL definition exactly as CDK deploys it, placeholders included. */
  definition: Record<string, unknown>;
  /** One handler per placeholder variable, e.g. `{ CreateInstanceFunctionArn: handler }`. */
  tasks: Record<string, TaskHandler>;
}

/** A validated state machine, ready to run. */
export interface PreparedStateMachine {
  name: string;
  arn: string;
  /** The definition as AWS would show it: placeholders replaced by (never invoked) function ARNs. */
  definition: Record<string, unknown>;
  machine: StateMachine;
  /** The placeholder variable of every Task state, nested ones included, by state name. */
  taskVariables: ReadonlyMap<string, string>;
  tasks: Record<string, TaskHandler>;
  createdAt: Date;
}

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonValue = Parameters<StateMachine['run']>[0];

/**
 * Substitutes the Task resources, checks every placeholder has a handler and lets the
 * library validate the result. Throws, naming the state machine and state, otherwise.
 */
export function prepareStateMachine(source: LocalStateMachine): PreparedStateMachine {
  if (!isValidName(source.name)) invalid(source, 'the name breaks the AWS naming rules');
  const definition = structuredClone(source.definition);
  const taskVariables = new Map<string, string>();
  forEachState(definition, (stateName, state) => {
    if (state.Type !== 'Task') return;
    const variable = wholePlaceholder(state.Resource);
    if (variable === undefined) {
      invalid(source, `Task state "${stateName}" has Resource ${JSON.stringify(state.Resource)}, not a \${Variable} placeholder`);
    }
    if (!Object.hasOwn(source.tasks, variable)) {
      const known = Object.keys(source.tasks).join(', ') || 'none';
      invalid(source, `unknown placeholder \${${variable}} in Task state "${stateName}": no handler in tasks (${known})`);
    }
    const previous = taskVariables.get(stateName);
    // The library keys local handlers by state name, nested states included, so one name must mean one handler.
    if (previous !== undefined && previous !== variable) {
      invalid(source, `two Task states are named "${stateName}" (\${${previous}} and \${${variable}})`);
    }
    taskVariables.set(stateName, variable);
    state.Resource = fakeFunctionArn(variable);
  });
  const leftover = definitionPlaceholders(definition);
  if (leftover.length > 0) invalid(source, `placeholders outside a Task Resource are not supported: ${leftover.join(', ')}`);
  let machine: StateMachine;
  try {
    machine = new StateMachine(definition as unknown as StateMachineDefinition);
  } catch (error) {
    invalid(source, error instanceof Error ? error.message : String(error));
  }
  const { name, tasks } = source;
  return { name, arn: stateMachineArn(name), definition, machine, taskVariables, tasks, createdAt: new Date() };
}

/**
 * The library's local handlers (keyed by state name) for one execution. Each acts like a
 * Lambda invocation: input and result pass through JSON, and an error keeps its `name`
 * (what `Retry`/`Catch` match) while its message becomes the Lambda runtime's cause,
 * `{"errorType","errorMessage","trace"}`, so `Cause` reads the same as in AWS.
 * @param isStopped once true, handlers refuse to run: the library's abort does not stop
 *   the retries of a state already in flight, and a stopped execution must not call tasks.
 */
export function localHandlers(prepared: PreparedStateMachine, isStopped: () => boolean): LocalHandlers {
  const handlers: LocalHandlers = {};
  for (const [stateName, variable] of prepared.taskVariables) {
    const handler = prepared.tasks[variable];
    if (!handler) continue;
    handlers[stateName] = async (input) => {
      if (isStopped()) throw new ExecutionStoppedError();
      try {
        const text = JSON.stringify((await handler(input)) ?? null);
        return (text === undefined ? null : JSON.parse(text)) as JsonValue;
      } catch (error) {
        throw asLambdaError(error);
      }
    };
  }
  return handlers;
}

/** Neither retried nor caught (the library reads `isRetryable`/`isCatchable`). */
class ExecutionStoppedError extends Error {
  override readonly name = 'States.Runtime';
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The execution was stopped');
  }
}

function asLambdaError(error: unknown): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const trace = source.stack?.split('\n') ?? [];
  const lambdaError = new Error(JSON.stringify({ errorType: source.name, errorMessage: source.message, trace }));
  lambdaError.name = source.name;
  return lambdaError;
}

function invalid(source: LocalStateMachine, why: string): never {
  throw new Error(`Local state machine "${source.name}": ${why}`);
}
