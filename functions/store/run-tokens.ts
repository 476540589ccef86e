/**
 * Run tokens: the scoped secret a run's VMs use to publish their parameters. Stored
 * only as a hash, next to API keys (the same lookup authenticates both), and
 * revoked when the run ends.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** Run tokens outlive any run's boot; the table forgets them after this. */
const TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

/** Stores the hash of a token that lets `instance` of `runId` set its own parameters. */
export async function putRunToken(table: TableClient, tokenHash: string, grant: { runId: string; instance: string }, now: Date): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.name,
      Item: { ...keys.apiKey(tokenHash), ...grant, [TABLE.ttlAttribute]: Math.floor(now.getTime() / 1000) + TOKEN_TTL_SECONDS },
    }),
  );
}

/** Deletes the tokens with these hashes (already gone is fine). */
export async function revokeRunTokens(table: TableClient, tokenHashes: string[]): Promise<void> {
  await Promise.all(tokenHashes.map((hash) => table.doc.send(new DeleteCommand({ TableName: table.name, Key: keys.apiKey(hash) }))));
}
