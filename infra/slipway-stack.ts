/**
 * The whole of Slipway in AWS: the table, the secrets key, one function per HTTP
 * route group, task and schedule, the two HTTP APIs, the Cognito user pool, the
 * two run state machines, the schedules and the alarms. Which function gets what
 * comes from `route-table.ts` (`NEEDS`).
 *
 * Two APIs, the same routes and functions: `slipway` for API keys and VMs' run
 * tokens (checked by the functions), `slipway-cognito` for the user pool's JWTs
 * (checked by API Gateway first). A JWT authorizer refuses any request without a
 * valid JWT, so one API could not serve both.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { ENV } from '#functions/commons/env';
import { HTTP_FUNCTIONS, type HttpFunctionName, type RouteKey } from '#functions/http/route-table';
import { SCHEDULES, type ScheduleName } from '#functions/schedules/schedule-table';
import { NEEDS } from '#functions/commons/function-needs';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { terminateRunDefinition } from '#infra/state-machines/terminate-run';
import { TASK_TIMEOUT_SECONDS } from '#infra/state-machines/retry-policies';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { TASK_FUNCTIONS, type TaskFunctionName } from '#infra/state-machines/task-functions';
import { RunStateMachine } from './constructs/run-state-machine';
import { SlipwayAlarms } from './constructs/slipway-alarms';
import { SlipwayFunction, type CodeMode, type SlipwayFunctionProps } from './constructs/slipway-function';
import { SlipwayHttpApi } from './constructs/slipway-http-api';
import { SlipwaySchedules } from './constructs/slipway-schedules';
import { SlipwayTable, type TableAccess } from './constructs/slipway-table';
import { SlipwayUserPool } from './constructs/slipway-user-pool';

export interface SlipwayStackProps extends StackProps {
  /**
   * How function code is produced: `inline-placeholder` skips esbuild, for template
   * tests and for synthesizing before every handler exists.
   * @default 'bundle'
   */
  readonly code?: CodeMode;
  /** Powertools log level of every function. @default 'INFO' */
  readonly logLevel?: SlipwayFunctionProps['logLevel'];
}

export type FunctionName = HttpFunctionName | TaskFunctionName | ScheduleName;

/** Functions that put the API URL in VMs' boot data, for their callbacks. */
const RENDERS_BOOT_DATA: readonly FunctionName[] = ['runs', 'CreateInstance'];
/** Routes anyone may call, on either API: they read no user data. */
export const PUBLIC_ROUTES: readonly RouteKey[] = ['GET /v1/health', 'GET /v1/openapi.json'];
/** Health and the OpenAPI document write nothing; every other function does. */
const READ_ONLY: readonly FunctionName[] = ['meta'];
/** A step outlives the state machine's own task timeout, so Step Functions, not Lambda, reports the timeout. */
const STEP_TIMEOUT = Duration.seconds(TASK_TIMEOUT_SECONDS + 10);
/** A schedule finishes before its next tick. */
const SCHEDULE_TIMEOUT = Duration.seconds(55);

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const entriesOf = <K extends string, V>(record: Readonly<Record<K, V>>) => Object.entries(record) as [K, V][];

export class SlipwayStack extends Stack {
  /** Every function by its name in `HTTP_FUNCTIONS`, `TASK_FUNCTIONS` or `SCHEDULES`. */
  readonly functions: Readonly<Record<FunctionName, SlipwayFunction>>;
  /** Seals users' cloud credential secrets. */
  readonly secretsKey: Key;

  constructor(scope: Construct, id: string, props: SlipwayStackProps = {}) {
    super(scope, id, props);
    const table = new SlipwayTable(this, 'Data');
    const secretsKey = new Key(this, 'SecretsKey', {
      description: 'Slipway: seals users’ cloud credential secrets.',
      enableKeyRotation: true,
    });
    this.secretsKey = secretsKey;

    const make = (name: FunctionName, entry: string, timeout?: Duration) =>
      [name, new SlipwayFunction(this, `${pascal(name)}Function`, { entry, timeout, code: props.code, logLevel: props.logLevel })] as const;
    const http = Object.fromEntries(entriesOf(HTTP_FUNCTIONS).map(([name, spec]) => make(name, spec.entry)));
    const tasks = Object.fromEntries(entriesOf(TASK_FUNCTIONS).map(([name, entry]) => make(name, entry, STEP_TIMEOUT)));
    const schedules = Object.fromEntries(entriesOf(SCHEDULES).map(([name, spec]) => make(name, spec.entry, SCHEDULE_TIMEOUT)));
    const fns = { ...http, ...tasks, ...schedules } as Record<FunctionName, SlipwayFunction>;
    this.functions = fns;

    for (const [name, fn] of entriesOf(fns)) {
      const access: TableAccess = READ_ONLY.includes(name) ? 'read' : 'readWrite';
      fn.bindTable(table, access);
    }
    for (const name of NEEDS.usesSecrets) fns[name].bindSecretsKey(secretsKey);

    const api = new SlipwayHttpApi(this, 'Http', { functions: fns });
    // VMs call back with run tokens, which only the API-key API accepts.
    for (const name of RENDERS_BOOT_DATA) fns[name].addEnvironment(ENV.apiUrl, api.url);
    const users = new SlipwayUserPool(this, 'Users');
    const cognitoApi = new SlipwayHttpApi(this, 'CognitoHttp', {
      functions: fns,
      apiName: 'slipway-cognito',
      authorizer: users.authorizer,
      publicRoutes: PUBLIC_ROUTES,
    });

    const deploy = new RunStateMachine(this, 'DeployRun', {
      stateMachineName: STATE_MACHINES.deploy,
      definition: deployRunDefinition(),
      taskFunctions: fns,
    });
    const terminate = new RunStateMachine(this, 'TerminateRun', {
      stateMachineName: STATE_MACHINES.terminate,
      definition: terminateRunDefinition(),
      taskFunctions: fns,
    });
    for (const name of NEEDS.startsExecutions) {
      deploy.grantExecutionControl(fns[name], ENV.deployStateMachineArn);
      terminate.grantExecutionControl(fns[name], ENV.terminateStateMachineArn);
    }

    const scheduler = new SlipwaySchedules(this, 'Schedules', { functions: fns });

    const alarms = new SlipwayAlarms(this, 'Alarms');
    alarms.watchExecutions(deploy, { stoppedByDesign: true });
    alarms.watchExecutions(terminate);
    alarms.watchDeadLetters(scheduler.deadLetterQueue, 'Schedule events (monitor, expiry)');

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the Slipway HTTP API (API keys).' });
    new CfnOutput(this, 'CognitoApiUrl', { value: cognitoApi.url, description: 'Base URL of the same API for Cognito JWTs.' });
    new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn, description: 'Subscribe operators here.' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'DeployStateMachineArn', { value: deploy.stateMachineArn });
    new CfnOutput(this, 'TerminateStateMachineArn', { value: terminate.stateMachineArn });
  }
}
