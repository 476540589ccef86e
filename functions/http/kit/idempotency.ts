/**
 * `Idempotency-Key` on POST: the first result is stored (24 h) and a retry with
 * the same key and body gets it back; the same key with another body is refused.
 * A first attempt still in flight makes a concurrent retry wait for a 409.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, ValidationError } from '#functions/domain/errors';
import { getItem, isConditionFailure } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import { TABLE } from '#functions/store/table';
import type { TableClient } from '#functions/store/table-client';

const TTL_SECONDS = 24 * 60 * 60;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export async function idempotent(
  table: TableClient,
  scope: { caller: string; routeKey: string; key: string; request: unknown; now: Date },
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (scope.key.length > 255) throw new ValidationError('Idempotency-Key is too long', [{ path: 'headers.idempotency-key', message: 'at most 255 characters' }]);
  const key = keys.idempotency(scope.caller, `${scope.routeKey}#${scope.key}`);
  const requestHash = createHash('sha256').update(JSON.stringify(scope.request ?? null)).digest('hex');
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...key, requestHash, inProgress: true, [TABLE.ttlAttribute]: Math.floor(scope.now.getTime() / 1000) + TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const existing = await getItem(table, key);
    if (existing?.requestHash !== requestHash) {
      throw new ConflictError('This Idempotency-Key was used with a different request');
    }
    if (existing.inProgress) throw new ConflictError('A request with this Idempotency-Key is still in progress');
    return existing.response as StoredResponse;
  }
  let response: StoredResponse;
  try {
    response = await run();
  } catch (error) {
    // A failed first attempt must not pin its key: the client's retry gets a fresh try.
    await table.doc.send(new DeleteCommand({ TableName: table.name, Key: key })).catch(() => undefined);
    throw error;
  }
  await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: key,
      UpdateExpression: 'SET inProgress = :f, #r = :r',
      ExpressionAttributeNames: { '#r': 'response' },
      ExpressionAttributeValues: { ':f': false, ':r': response },
    }),
  );
  return response;
}
