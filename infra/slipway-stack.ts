/**
 * The whole of Slipway in AWS: the table, the secrets key, one function per HTTP
 * route group, task and schedule, the two HTTP APIs, the Cognito user pool, the
 * two run state machines and the order one, the schedules, the events bus and the alarms. Which function gets what
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
import { EVENT_FUNCTIONS, type EventFunctionName } from '#functions/events/event-functions';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { terminateRunDefinition } from '#infra/state-machines/terminate-run';
import { scaleRunDefinition } from '#infra/state-machines/scale-run';
import { migrateRunDefinition } from '#infra/state-machines/migrate-run';
import { orderDefinition } from '#infra/state-machines/order';
import { buildImageDefinition } from '#infra/state-machines/build-image';
import { TASK_TIMEOUT_SECONDS } from '#infra/state-machines/retry-policies';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { TASK_FUNCTIONS, type TaskFunctionName } from '#infra/state-machines/task-functions';
import { RunStateMachine } from './constructs/run-state-machine';
import { SlipwayAlarms } from './constructs/slipway-alarms';
import { SlipwayConsole } from './constructs/slipway-console';
import { SlipwayEvents } from './constructs/slipway-events';
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

export type FunctionName = HttpFunctionName | TaskFunctionName | ScheduleName | EventFunctionName;

/** Functions that put the API URL in VMs' boot data, for their callbacks. */
const RENDERS_BOOT_DATA: readonly FunctionName[] = ['runs', 'CreateInstance', 'LaunchBuilder'];
/** Routes anyone may call, on either API: they read no user data, or (stores and their buy links) only what vendors publish to embed in their sites. */
export const PUBLIC_ROUTES: readonly RouteKey[] = ['GET /v1/health', 'GET /v1/openapi.json', 'GET /v1/stores/{id}', 'GET /v1/stores/{id}/buy/{product}'];
/** Health and the OpenAPI document write nothing; every other function does. */
const READ_ONLY: readonly FunctionName[] = ['meta'];
/** The events publisher reads the table's stream (granted by its event source), never its items. */
const NO_TABLE: readonly FunctionName[] = ['publishEvents'];
/** A step outlives the state machine's own task timeout, so Step Functions, not Lambda, reports the timeout. */
const STEP_TIMEOUT = Duration.seconds(TASK_TIMEOUT_SECONDS + 10);
/** A schedule finishes before its next tick (unless `SCHEDULES` gives it a timeout of its own: the month close). */
const SCHEDULE_TIMEOUT = Duration.seconds(55);

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const entriesOf = <K extends string, V>(record: Readonly<Record<K, V>>) => Object.entries(record) as [K, V][];

export class SlipwayStack extends Stack {
  /** Every function by its name in `HTTP_FUNCTIONS`, `TASK_FUNCTIONS`, `SCHEDULES` or `EVENT_FUNCTIONS`. */
  readonly functions: Readonly<Record<FunctionName, SlipwayFunction>>;
  /** Seals users' cloud credential secrets and webhook signing secrets. */
  readonly secretsKey: Key;

  constructor(scope: Construct, id: string, props: SlipwayStackProps = {}) {
    super(scope, id, props);
    const table = new SlipwayTable(this, 'Data');
    const secretsKey = new Key(this, 'SecretsKey', {
      description: 'Slipway: seals users’ cloud credential secrets and webhook signing secrets.',
      enableKeyRotation: true,
    });
    this.secretsKey = secretsKey;

    const make = (name: FunctionName, entry: string, timeout?: Duration) =>
      [name, new SlipwayFunction(this, `${pascal(name)}Function`, { entry, timeout, code: props.code, logLevel: props.logLevel })] as const;
    const http = Object.fromEntries(entriesOf(HTTP_FUNCTIONS).map(([name, spec]) => make(name, spec.entry)));
    const tasks = Object.fromEntries(entriesOf(TASK_FUNCTIONS).map(([name, entry]) => make(name, entry, STEP_TIMEOUT)));
    const schedules = Object.fromEntries(
      entriesOf(SCHEDULES).map(([name, spec]) => make(name, spec.entry, 'timeoutSeconds' in spec ? Duration.seconds(spec.timeoutSeconds) : SCHEDULE_TIMEOUT)),
    );
    const events = Object.fromEntries(entriesOf(EVENT_FUNCTIONS).map(([name, spec]) => make(name, spec.entry)));
    const fns = { ...http, ...tasks, ...schedules, ...events } as Record<FunctionName, SlipwayFunction>;
    this.functions = fns;

    for (const [name, fn] of entriesOf(fns)) {
      if (NO_TABLE.includes(name)) continue;
      const access: TableAccess = READ_ONLY.includes(name) ? 'read' : 'readWrite';
      fn.bindTable(table, access);
    }
    for (const name of NEEDS.usesSecrets) fns[name].bindSecretsKey(secretsKey);

    const api = new SlipwayHttpApi(this, 'Http', { functions: fns });
    // VMs call back with run tokens, which only the API-key API accepts.
    for (const name of RENDERS_BOOT_DATA) fns[name].addEnvironment(ENV.apiUrl, api.url);
    // The web console, with the API-key API behind the same CloudFront distribution at /v1.
    const webConsole = new SlipwayConsole(this, 'Console', { api: api.api });
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
    // Scales: executions named after the scale id; started by the runs API, stopped by a terminate.
    const scale = new RunStateMachine(this, 'ScaleRun', {
      stateMachineName: STATE_MACHINES.scale,
      definition: scaleRunDefinition(),
      taskFunctions: fns,
    });
    // Migrations: executions named after the new run's id; started by the runs API.
    const migrate = new RunStateMachine(this, 'MigrateRun', {
      stateMachineName: STATE_MACHINES.migrate,
      definition: migrateRunDefinition(),
      taskFunctions: fns,
    });
    for (const name of NEEDS.watchesScales) scale.grantExecutionControl(fns[name], ENV.scaleStateMachineArn, { describeOnly: true });
    for (const name of NEEDS.startsExecutions) {
      deploy.grantExecutionControl(fns[name], ENV.deployStateMachineArn);
      terminate.grantExecutionControl(fns[name], ENV.terminateStateMachineArn);
      scale.grantExecutionControl(fns[name], ENV.scaleStateMachineArn);
    }
    for (const name of NEEDS.startsMigrations) migrate.grantExecutionControl(fns[name], ENV.migrateStateMachineArn);
    // Orders: the same kind of machine, its executions named after the order id.
    const order = new RunStateMachine(this, 'Order', {
      stateMachineName: STATE_MACHINES.order,
      definition: orderDefinition(),
      taskFunctions: fns,
    });
    for (const name of NEEDS.startsOrders) order.grantExecutionControl(fns[name], ENV.orderStateMachineArn);
    // Image builds: executions named after the build id, started by the images API.
    const build = new RunStateMachine(this, 'BuildImage', {
      stateMachineName: STATE_MACHINES.build,
      definition: buildImageDefinition(),
      taskFunctions: fns,
    });
    for (const name of NEEDS.startsBuilds) build.grantExecutionControl(fns[name], ENV.buildStateMachineArn);
    for (const name of NEEDS.watchesBuilds) build.grantExecutionControl(fns[name], ENV.buildStateMachineArn, { describeOnly: true });

    const scheduler = new SlipwaySchedules(this, 'Schedules', { functions: fns });
    new SlipwayEvents(this, 'Events', { table, publisher: fns.publishEvents, deliverer: fns.deliverWebhooks, deadLetterQueue: scheduler.deadLetterQueue });

    const alarms = new SlipwayAlarms(this, 'Alarms');
    alarms.watchExecutions(deploy, { stoppedByDesign: true });
    alarms.watchExecutions(terminate);
    // A terminate stops a scale in progress; a rolled-back scale (Failed) is worth a look.
    alarms.watchExecutions(scale, { stoppedByDesign: true });
    alarms.watchExecutions(migrate);
    alarms.watchExecutions(order);
    alarms.watchExecutions(build);
    alarms.watchDeadLetters(scheduler.deadLetterQueue, 'Schedule events, webhook events or table stream batches');

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the Slipway HTTP API (API keys).' });
    new CfnOutput(this, 'ConsoleUrl', { value: webConsole.url, description: 'The web console; the API is at /v1 of it too.' });
    new CfnOutput(this, 'CognitoApiUrl', { value: cognitoApi.url, description: 'Base URL of the same API for Cognito JWTs.' });
    new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn, description: 'Subscribe operators here.' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'DeployStateMachineArn', { value: deploy.stateMachineArn });
    new CfnOutput(this, 'TerminateStateMachineArn', { value: terminate.stateMachineArn });
    new CfnOutput(this, 'ScaleStateMachineArn', { value: scale.stateMachineArn });
    new CfnOutput(this, 'MigrateStateMachineArn', { value: migrate.stateMachineArn });
    new CfnOutput(this, 'OrderStateMachineArn', { value: order.stateMachineArn });
    new CfnOutput(this, 'BuildStateMachineArn', { value: build.stateMachineArn });
  }
}
