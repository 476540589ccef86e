/**
 * AWS SDK clients, built once per process. Endpoints come from the SDK's own configuration (`AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_SFN`, …), which is how the local runner points them at DynamoDB
 * Local and the local Step Functions; they are built at first use because the local
 * runner learns the Step Functions endpoint only after it has loaded the handlers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV, requireEnv } from './env';
import type { TableClient } from '#functions/store/table-client';

let table: TableClient | undefined;
let sfn: SFNClient | undefined;

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

/** The Step Functions client. */
export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}
