/**
 * AWS SDK clients, built once per process. Endpoints come from the SDK's own
 * configuration (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SFN`, …), which is
 * how the local runner points them at DynamoDB Local and the local Step Functions.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV, requireEnv } from './env';
import type { TableClient } from '#functions/store/table-client';

let table: TableClient | undefined;
let sfn: SFNClient | undefined;

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function tableClient(): TableClient {
  table ??= { doc: documentClient(new DynamoDBClient({})), name: requireEnv(ENV.table) };
  return table;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}
