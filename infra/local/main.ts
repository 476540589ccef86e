/** `npm start`: Slipway on this machine. A start that fails says why in one line and exits 1, leaving nothing running. */
import { resolve } from 'node:path';
import { LocalStartError } from './local-start-error';
import { persistedAdminKey, startLocalStack, type LocalStack } from './stack';

const home = resolve(process.env.SLIPWAY_HOME ?? '.slipway');
const port = Number(process.env.PORT ?? 8080);
const given = process.env.SLIPWAY_ADMIN_KEY;

let stack: LocalStack;
let admin: { key: string; created: boolean };
try {
  admin = given ? { key: given, created: false } : persistedAdminKey(home);
  stack = await startLocalStack({ home, port, adminKey: admin.key, scheduleIntervalMs: Number(process.env.SLIPWAY_SCHEDULE_INTERVAL_MS ?? 60_000) });
} catch (error) {
  const reason = error instanceof LocalStartError ? error.message : String((error as Error)?.message ?? error).split('\n')[0];
  console.error(`Slipway could not start: ${reason}`);
  process.exit(1);
}
console.log(`Slipway is running (data in ${home})
  API             ${stack.apiUrl}/v1   (OpenAPI: ${stack.apiUrl}/v1/openapi.json)
  Step Functions  ${stack.stepFunctionsEndpoint}   (aws stepfunctions list-executions --endpoint-url ${stack.stepFunctionsEndpoint} ...)
  DynamoDB        ${stack.dynamoDbEndpoint}   (table "slipway")
  Admin key       ${given ? '(from SLIPWAY_ADMIN_KEY)' : admin.created ? admin.key : `in ${resolve(home, 'admin.key')}`}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping: runs in flight resume at the next start.');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
