/**
 * How the sim makes something that a tag must name once (a VM, a built image): the
 * item itself, and its tag's guard item, in the same transaction. The guard refuses
 * a second maker of the same tag; an expired guard still in the table no longer holds it.
 */
import { TABLE } from '#functions/store/table';
import { epochSeconds } from './vm-item';

/** The two `TransactItems` that put `item` and `guard` only if neither exists (or the guard has expired). */
export function guardedPuts(tableName: string, item: object, guard: object, now: Date) {
  return [
    { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName,
        Item: guard,
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
        ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':now': epochSeconds(now) },
      },
    },
  ];
}
