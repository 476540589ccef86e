/**
 * A migration's marks on the run it re-deploys: `migrating` (the new run, one
 * migration at a time) while the new run deploys, then `migratedTo` when the new run
 * is Ready, or nothing when it failed. Each mark and its event are one transaction.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#functions/domain/errors';
import { isConditionFailure } from './items';
import { keys } from './keys';
import { getRun, runEventItem, type RunDoc } from './runs';
import type { TableClient } from './table-client';

/**
 * Marks the Ready run `from` as migrating to `to`; a repeat for the same `to` is a no-op.
 * @throws ConflictError when the run is not Ready, or migrates (or migrated) elsewhere
 */
export async function markMigrating(table: TableClient, from: RunDoc, to: string, now: Date): Promise<void> {
  const at = now.toISOString();
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.run(from.id),
              UpdateExpression: 'SET migrating = :to',
              ConditionExpression: '#state = :ready AND attribute_not_exists(migrating) AND attribute_not_exists(migratedTo)',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':to': to, ':ready': 'Ready' },
            },
          },
          { Put: { TableName: table.name, Item: runEventItem(from, at, { type: 'migrate', message: `migrating to run ${to}` }) } },
        ],
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const run = await getRun(table, from.id);
    if (run?.migrating === to) return;
    const why = run?.migrating ? `migrating to run ${run.migrating} already` : run?.migratedTo ? `migrated to run ${run.migratedTo}` : (run?.state ?? 'gone');
    throw new ConflictError(`run ${from.id} is ${why}: only a Ready run that is not migrating can be migrated`);
  }
}

/**
 * Ends the migration of `from` to `to`: `migratedTo` set when it switched, the mark removed either way.
 * @returns false when `from` is not migrating to `to` (ended already)
 */
export async function endMigration(table: TableClient, from: string, to: string, switched: boolean, message: string, now: Date): Promise<boolean> {
  const run = await getRun(table, from);
  if (!run || run.migrating !== to) return false;
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.run(from),
              UpdateExpression: switched ? 'SET migratedTo = :to REMOVE migrating' : 'REMOVE migrating',
              ConditionExpression: 'migrating = :to',
              ExpressionAttributeValues: { ':to': to },
            },
          },
          { Put: { TableName: table.name, Item: runEventItem(run, now.toISOString(), { type: 'migrate', message }) } },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
