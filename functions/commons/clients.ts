/**
 * AWS SDK clients, built once per process. Endpoints come from the SDK's own configuration (`AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_SFN`, …), which is how the local runner points them at DynamoDB
 * Local and the local Step Functions; they are built at first use because the local
 * runner learns the Step Functions endpoint only after it has loaded the handlers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { ENV, requireEnv } from './env';
import type { TableClient } from '#functions/store/table-client';

let table: TableClient | undefined;
let sfn: SfnSender | undefined;

/** What handlers use of the Step Functions client. */
export type SfnSender = Pick<SFNClient, 'send'>;

/** The document client every store function uses: `undefined` fields are dropped, class instances refused. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The table client; `name` is the table name read at cold start. */
export function tableClient(name: string = requireEnv(ENV.table)): TableClient {
  table ??= { doc: documentClient(new DynamoDBClient({})), name };
  return table;
}

/**
 * The Step Functions client, its SDK loaded at the first request: only the
 * functions that start or stop executions pay that import on a cold start.
 */
export function sfnClient(): SfnSender {
  if (!sfn) {
    let client: Promise<SFNClient> | undefined;
    const load = () => (client ??= import('@aws-sdk/client-sfn').then(({ SFNClient }) => new SFNClient({})));
    sfn = { send: ((command: never, options?: never) => load().then((c) => c.send(command, options))) as SFNClient['send'] };
  }
  return sfn;
}
