/** `npm start`: Slipway on this machine. A start that fails says why in one line and exits 1, leaving nothing running. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '#functions/commons/clients';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { LOCAL_AWS } from './dynamodb';
import { FIXED_PORT_ENV } from './fixed-ports';
import { LocalStartError } from './local-start-error';
import { logRunProgress } from './run-progress';
import { stateMachineArn } from './sfn-arns';
import { LOCAL_TABLE, persistedAdminKey, startLocalStack, type LocalStack } from './stack';

/**
 * Under a plain `npm start` the Step Functions and DynamoDB ports stay the same from
 * start to start (the local emulators' usual ports), so the AWS CLI lines below stay
 * valid. Whoever sets PORT (a second instance, the tests that start this file with
 * PORT=0 or a free port) gets free ones unless they set these too.
 */
const DEFAULT_PORTS = process.env.PORT === undefined ? { stepFunctions: 8083, dynamoDb: 8000 } : { stepFunctions: 0, dynamoDb: 0 };

/** A port from the environment (0: any free port). @throws LocalStartError when it is not one */
function portFrom(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new LocalStartError(`${name}=${text} is not a port number (0 picks a free one)`);
  return port;
}

// Handlers log JSON lines for CloudWatch; on this terminal the run log below says what happens in words, so
// only their warnings and errors show unless POWERTOOLS_LOG_LEVEL asks for more (set before any handler loads).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const home = resolve(process.env.SLIPWAY_HOME ?? '.slipway');
const given = process.env.SLIPWAY_ADMIN_KEY;

let stack: LocalStack;
try {
  const admin = given ? { key: given, created: false } : persistedAdminKey(home);
  stack = await startLocalStack({
    home,
    port: portFrom('PORT', 8080),
    stepFunctionsPort: portFrom(FIXED_PORT_ENV.stepFunctions, DEFAULT_PORTS.stepFunctions),
    dynamoDbPort: portFrom(FIXED_PORT_ENV.dynamoDb, DEFAULT_PORTS.dynamoDb),
    adminKey: admin.key,
    // Built by `npm run build:console` (npm start's prestart).
    consoleDir: fileURLToPath(new URL('../../console/dist', import.meta.url)),
    scheduleIntervalMs: Number(process.env.SLIPWAY_SCHEDULE_INTERVAL_MS ?? 60_000),
  });
} catch (error) {
  const reason = error instanceof LocalStartError ? error.message : String((error as Error)?.message ?? error).split('\n')[0];
  console.error(`Slipway could not start: ${reason}`);
  process.exit(1);
}

// Before the banner: whoever reads it may stop this process at once.
const table = { doc: documentClient(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS })), name: LOCAL_TABLE };
const progress = logRunProgress(table, (line) => console.log(line));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping: runs in flight resume at the next start.');
  await progress.stop();
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The key itself is not printed at every start (logs get copied around): the line reads it where it is kept.
const keyLine = given
  ? 'export SLIPWAY_API_KEY="$SLIPWAY_ADMIN_KEY"   # the admin key Slipway was started with'
  : `export SLIPWAY_API_KEY=$(cat ${resolve(home, 'admin.key')})`;
const aws = `AWS_ACCESS_KEY_ID=${LOCAL_AWS.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_AWS.credentials.secretAccessKey} AWS_REGION=${LOCAL_AWS.region} aws`;
console.log(`Slipway is running (data in ${home})
  API             ${stack.apiUrl}/v1   (OpenAPI: ${stack.apiUrl}/v1/openapi.json)
  Console         ${stack.apiUrl}/   (sign in with an API key)
  Step Functions  ${stack.stepFunctionsEndpoint}
  DynamoDB        ${stack.dynamoDbEndpoint}   (table "${LOCAL_TABLE}")
  Admin key       ${given ? 'from SLIPWAY_ADMIN_KEY' : `in ${resolve(home, 'admin.key')}`}

Use the slipway CLI as the admin (then: npm run demo, or npx slipway --help):
  export SLIPWAY_URL=${stack.apiUrl}
  ${keyLine}

The AWS CLI on the local Step Functions and DynamoDB (dummy credentials; a run's execution is named after the run id):
  ${aws} stepfunctions list-executions --endpoint-url ${stack.stepFunctionsEndpoint} --state-machine-arn ${stateMachineArn(STATE_MACHINES.deploy)}
  ${aws} dynamodb scan --endpoint-url ${stack.dynamoDbEndpoint} --table-name ${LOCAL_TABLE} --max-items 5

Runs are logged below as they go (run id, state, node, instance).`);
