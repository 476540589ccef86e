/**
 * Seeding large tables fast without a second home for item shapes: the product's
 * own store functions (and the sim's create) write into a capturing table client,
 * and the items they would have written go to DynamoDB Local in BatchWriteItem
 * calls of 25.
 */
import { BatchWriteCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableClient } from '#functions/store/table-client';
import { pool, sleep } from './stats';

/** A table client that keeps every item a Put (or a transaction's Puts) would write, and answers the rest empty. */
export class ItemCapture {
  readonly items: Record<string, unknown>[] = [];
  readonly table: TableClient;

  constructor(name: string) {
    const send = async (command: unknown) => {
      if (command instanceof PutCommand) this.items.push(command.input.Item!);
      else if (command instanceof TransactWriteCommand) {
        for (const item of command.input.TransactItems ?? []) if (item.Put) this.items.push(item.Put.Item!);
      }
      return {};
    };
    this.table = { doc: { send } as unknown as DynamoDBDocumentClient, name };
  }

  /** Takes the items captured so far. */
  drain(): Record<string, unknown>[] {
    return this.items.splice(0);
  }
}

/** Writes `items` with BatchWriteItem (25 a call, `concurrency` calls at once), retrying unprocessed ones. */
export async function batchWrite(table: TableClient, items: readonly Record<string, unknown>[], concurrency = 8): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await pool(concurrency, chunks.length, async (i) => {
    let pending = chunks[i]!.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt >= 10) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after 10 attempts`);
      const out = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending } }));
      pending = (out.UnprocessedItems?.[table.name] ?? []) as typeof pending;
      if (pending.length) await sleep(50 * 2 ** attempt);
    }
  });
}
