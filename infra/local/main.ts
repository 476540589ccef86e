/** `npm start`: Slipway on this machine. */
import { resolve } from 'node:path';
import { persistedAdminKey, startLocalStack } from './stack';

const home = resolve(process.env.SLIPWAY_HOME ?? '.slipway');
const port = Number(process.env.PORT ?? 8080);
const given = process.env.SLIPWAY_ADMIN_KEY;
const admin = given ? { key: given, created: false } : persistedAdminKey(home);

const stack = await startLocalStack({ home, port, adminKey: admin.key, scheduleIntervalMs: Number(process.env.SLIPWAY_SCHEDULE_INTERVAL_MS ?? 60_000) });
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
