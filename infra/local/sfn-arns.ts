/**
 * ARNs and names of the local Step Functions: one fixed region and a dummy account,
 * so ARNs look like the ones AWS hands out and survive the SDK's and CLI's checks.
 */
import { SfnApiError } from './sfn-errors';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
/** The role every local state machine claims to run as (AWS requires one; nothing checks it here). */
export const LOCAL_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/slipway-local-states`;

const STATES_PREFIX = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:`;

export function stateMachineArn(stateMachine: string): string {
  return `${STATES_PREFIX}stateMachine:${stateMachine}`;
}

export function executionArn(stateMachine: string, name: string): string {
  return `${STATES_PREFIX}execution:${stateMachine}:${name}`;
}

/** The Lambda ARN put in place of a Task's `${Variable}` so ASL validation passes; never invoked. */
export function fakeFunctionArn(variable: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:slipway-${variable}`;
}

const ANY_STATES_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:(stateMachine|execution):/;

/**
 * The state machine name of a state machine ARN. A well-formed ARN of another
 * region or account names nothing here, which the caller reports as "does not exist".
 */
export function parseStateMachineArn(arn: string): string | undefined {
  const name = splitArn(arn, 'stateMachine', 1)?.[0];
  return name !== undefined && isValidName(name) ? name : undefined;
}

/** The state machine and execution names of an execution ARN (see {@link parseStateMachineArn}). */
export function parseExecutionArn(arn: string): { stateMachine: string; name: string } | undefined {
  const parts = splitArn(arn, 'execution', 2);
  if (!parts) return undefined;
  const [stateMachine = '', name = ''] = parts;
  return isValidName(stateMachine) && isValidName(name) ? { stateMachine, name } : undefined;
}

function splitArn(arn: string, resource: string, count: number): string[] | undefined {
  const match = ANY_STATES_ARN.exec(arn);
  if (!match || match[1] !== resource) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  if (!arn.startsWith(`${STATES_PREFIX}${resource}:`)) return undefined;
  const parts = arn.slice(match[0].length).split(':');
  if (parts.length !== count) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  return parts;
}

const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/**
 * AWS's rule for state machine and execution names: 1–80 characters, no whitespace,
 * brackets, wildcards (`?`, `*`), control characters, nor any of these: " # % \ ^ | ~ ` $ & , ; : /
 */
export function isValidName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= 80 && !FORBIDDEN.test(name);
}
