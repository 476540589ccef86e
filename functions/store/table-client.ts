import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The table as every store function receives it: a document client and the table's name. */
export interface TableClient {
  doc: DynamoDBDocumentClient;
  name: string;
}
