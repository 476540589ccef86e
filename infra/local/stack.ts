/**
 * The whole product on one machine: DynamoDB Local, the local Step Functions
 * service running the deployed definitions, the HTTP API over the same handlers,
 * and the schedules on timers. Handlers find everything through the SDK's own
 * endpoint configuration, set here for this process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '#functions/commons/clients';
import { newSecretToken } from '#functions/commons/api-keys';
import { ENV } from '#functions/commons/env';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { SCHEDULES } from '#functions/schedules/schedule-table';
import { seedAdmin } from '#functions/store/users';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { substitutionVariable, TASK_FUNCTIONS, type TaskFunctionName } from '#infra/state-machines/task-functions';
import { terminateRunDefinition } from '#infra/state-machines/terminate-run';
import { scaleRunDefinition } from '#infra/state-machines/scale-run';
import { migrateRunDefinition } from '#infra/state-machines/migrate-run';
import { orderDefinition } from '#infra/state-machines/order';
import { buildImageDefinition } from '#infra/state-machines/build-image';
import { apiPortError, assertApiPortFree } from './api-port';
import { ensureTable, LOCAL_AWS, startDynamo } from './dynamodb';
import { assertPortFree, portTakenError, relayPort } from './fixed-ports';
import { compileRoutes, startHttpServer, type HttpLambda } from './http-server';
import { privateDirectory, writePrivateFile } from './private-files';
import { startSchedules } from './schedules';
import { stateMachineArn } from './sfn-arns';
import { LocalSfnRunner, type TaskHandler } from './sfn-runner';
import { startSfnServer } from './sfn-server';
import { startLocalEvents } from './local-events';

export const LOCAL_TABLE = 'slipway';

export interface LocalStackOptions {
  /** Where data persists; without it everything is in memory (tests). */
  home?: string;
  /** API port; 0 picks a free one. @default 0 */
  port?: number;
  /** The admin's API key; generated when absent. */
  adminKey?: string;
  /** Schedules' period. @default 60000 (EventBridge's rate(1 minute)) */
  scheduleIntervalMs?: number;
  /** The local Step Functions endpoint's port; 0 picks a free one. @default 0 */
  stepFunctionsPort?: number;
  /** A port on 127.0.0.1 relayed to DynamoDB Local (`dynamoDbEndpoint`); 0 picks a free one. @default 0 */
  dynamoDbPort?: number;
  /** The built web console (console/dist), served on every path outside `/v1`. @default - none: the API only */
  consoleDir?: string;
  /** The wait after a webhook delivery's first failed attempt (tests shorten it). @default 30000 */
  webhookRetryBaseMs?: number;
}

export interface LocalStack {
  apiUrl: string;
  stepFunctionsEndpoint: string;
  dynamoDbEndpoint: string;
  adminKey: string;
  stop(): Promise<void>;
}

const load = async <T>(entry: string, name = 'handler'): Promise<T> => (await import(resolve(entry)))[name] as T;

function secretsKeyFile(home: string | undefined): string {
  const dir = home ?? mkdtempSync(join(tmpdir(), 'slipway-'));
  const file = join(dir, 'secrets.key');
  if (!existsSync(file)) writePrivateFile(file, randomBytes(32).toString('base64'));
  return file;
}

/**
 * Starts every part; when one fails, stops those already running and rethrows
 * (a {@link LocalStartError} says why in one line), leaving no process behind.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started: { stop(): Promise<void> }[] = [];
  try {
    return await startParts(options, started);
  } catch (error) {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    throw error;
  }
}

async function startParts(options: LocalStackOptions, started: { stop(): Promise<void> }[]): Promise<LocalStack> {
  if (options.port) await assertApiPortFree(options.port);
  if (options.stepFunctionsPort) await assertPortFree('stepFunctions', options.stepFunctionsPort);
  if (options.dynamoDbPort) await assertPortFree('dynamoDb', options.dynamoDbPort);
  // SLIPWAY_HOME and what is in it (secrets.key, admin.key) are the owner's alone.
  if (options.home) privateDirectory(options.home);
  const dynamo = await startDynamo({ path: options.home ? join(options.home, 'dynamodb') : undefined });
  started.push(dynamo);
  const dynamoFixed = options.dynamoDbPort ? await relayPort('dynamoDb', options.dynamoDbPort, Number(new URL(dynamo.endpoint).port)) : undefined;
  if (dynamoFixed) started.push(dynamoFixed);
  await ensureTable(dynamo.client, LOCAL_TABLE);
  const deployArn = stateMachineArn(STATE_MACHINES.deploy);
  const terminateArn = stateMachineArn(STATE_MACHINES.terminate);
  Object.assign(process.env, {
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    [ENV.table]: LOCAL_TABLE,
    [ENV.secretsKey]: `file:${secretsKeyFile(options.home)}`,
    [ENV.deployStateMachineArn]: deployArn,
    [ENV.terminateStateMachineArn]: terminateArn,
    [ENV.scaleStateMachineArn]: stateMachineArn(STATE_MACHINES.scale),
    [ENV.migrateStateMachineArn]: stateMachineArn(STATE_MACHINES.migrate),
    [ENV.orderStateMachineArn]: stateMachineArn(STATE_MACHINES.order),
    [ENV.buildStateMachineArn]: stateMachineArn(STATE_MACHINES.build),
    // No CloudWatch reads this process's stdout: EMF lines would only be noise (set it to false to see them).
    [ENV.metricsDisabled]: process.env[ENV.metricsDisabled] ?? 'true',
  });

  const tasks: Record<string, TaskHandler> = {};
  for (const [name, entry] of Object.entries(TASK_FUNCTIONS)) tasks[substitutionVariable(name as TaskFunctionName)] = await load<TaskHandler>(entry);
  const table = { doc: documentClient(new DynamoDBClient({ endpoint: dynamo.endpoint, ...LOCAL_AWS })), name: LOCAL_TABLE };
  const runner = new LocalSfnRunner({
    table,
    stateMachines: [
      { name: STATE_MACHINES.deploy, definition: deployRunDefinition(), tasks },
      { name: STATE_MACHINES.terminate, definition: terminateRunDefinition(), tasks },
      { name: STATE_MACHINES.scale, definition: scaleRunDefinition(), tasks },
      { name: STATE_MACHINES.migrate, definition: migrateRunDefinition(), tasks },
      { name: STATE_MACHINES.order, definition: orderDefinition(), tasks },
      { name: STATE_MACHINES.build, definition: buildImageDefinition(), tasks },
    ],
  });
  started.push({ stop: () => runner.close() });
  const sfn = await startSfnServer({ runner, port: options.stepFunctionsPort }).catch((error: unknown) => {
    throw portTakenError('stepFunctions', options.stepFunctionsPort ?? 0, error);
  });
  started.push(sfn);
  process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
  // Events out: the table's stream → publisher → local EventBridge → webhook deliveries.
  const events = await startLocalEvents({ dynamo, tableName: LOCAL_TABLE, webhookRetryBaseMs: options.webhookRetryBaseMs });
  started.push(events);

  const routes: { key: string; handler: HttpLambda }[] = [];
  for (const fn of Object.values(HTTP_FUNCTIONS)) {
    const handler = await load<HttpLambda>(fn.entry);
    for (const key of fn.routes) routes.push({ key, handler });
  }
  const http = await startHttpServer(compileRoutes(routes), options.port ?? 0, { consoleDir: options.consoleDir }).catch((error: unknown) => {
    throw apiPortError(options.port ?? 0, error);
  });
  started.push(http);
  process.env[ENV.apiUrl] = http.url;

  const adminKey = options.adminKey ?? newSecretToken('slw');
  await seedAdmin(table, adminKey, new Date());
  const jobs: Record<string, () => Promise<unknown>> = {};
  for (const [name, schedule] of Object.entries(SCHEDULES)) jobs[name] = await load<() => Promise<unknown>>(schedule.entry);
  const schedules = startSchedules(jobs, options.scheduleIntervalMs ?? 60_000);
  started.push(schedules);
  await runner.resumeInterrupted();

  return {
    apiUrl: http.url,
    stepFunctionsEndpoint: sfn.endpoint,
    dynamoDbEndpoint: dynamoFixed?.endpoint ?? dynamo.endpoint,
    adminKey,
    async stop() {
      await schedules.stop();
      await http.stop();
      await runner.close();
      await sfn.stop();
      await events.stop();
      await dynamoFixed?.stop();
      await dynamo.stop();
    },
  };
}

/** The admin key kept under SLIPWAY_HOME, created at first start. */
export function persistedAdminKey(home: string): { key: string; created: boolean } {
  privateDirectory(home);
  const file = join(home, 'admin.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), created: false };
  const key = newSecretToken('slw');
  writePrivateFile(file, key);
  return { key, created: true };
}
