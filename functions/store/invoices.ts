/**
 * Invoices: one item per customer and month (`keys.invoice`, id `inv_<YYYYMM>_<customer>`),
 * indexed by customer (`byOwner`) and in one list of all (`byType`), both sorted by
 * month. A close writes each invoice once (conditional put: a repeated close finds
 * the first one); an issued invoice never changes but for becoming paid or void,
 * and those changes are conditional on it being issued.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#functions/domain/errors';
import type { InvoiceT } from '#functions/schemas/store-catalog';
import { isConditionFailure, queryPage, toResource, type Page } from './items';
import { indexKeys, keys } from './keys';
import { TABLE } from './table';
import type { TableClient } from './table-client';

const sortValue = (invoice: Pick<InvoiceT, 'month' | 'id'>) => `${invoice.month}#${invoice.id}`;

export async function getInvoice(table: TableClient, id: string, consistent = false): Promise<InvoiceT | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.invoice(id), ConsistentRead: consistent }));
  return out.Item ? toResource<InvoiceT>(out.Item) : undefined;
}

/**
 * Writes `invoice` unless one with its id exists.
 * @returns the invoice as stored: `invoice`, or the one a previous close wrote (`written` false)
 */
export async function putInvoice(table: TableClient, invoice: InvoiceT): Promise<{ invoice: InvoiceT; written: boolean }> {
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...keys.invoice(invoice.id),
          ...indexKeys.byOwner('invoice', invoice.customer, sortValue(invoice)),
          ...indexKeys.byType('invoice', sortValue(invoice)),
          ...invoice,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { invoice, written: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const stored = await getInvoice(table, invoice.id, true);
    if (!stored) throw error;
    return { invoice: stored, written: false };
  }
}

/** Invoices of one customer, or of every customer (`customer` absent), optionally of one month, by month. */
export async function listInvoices(
  table: TableClient,
  filter: { customer?: string; month?: string },
  page: { limit: number; cursor?: string },
): Promise<Page<InvoiceT>> {
  const index = filter.customer === undefined ? TABLE.indexes.byType : TABLE.indexes.byOwner;
  const partition = filter.customer === undefined ? indexKeys.byType('invoice', '').gsi2pk : indexKeys.byOwner('invoice', filter.customer, '').gsi1pk;
  const month = filter.month === undefined ? '' : ' AND begins_with(#sk, :month)';
  return queryPage(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: `#pk = :pk${month}`,
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...(filter.month === undefined ? {} : { '#sk': index.sortKey }) },
      ExpressionAttributeValues: { ':pk': partition, ...(filter.month === undefined ? {} : { ':month': `${filter.month}#` }) },
    },
    page,
  );
}

/** Every invoice of one month (page after page): what a resumed close finds already issued. */
export async function listMonthInvoices(table: TableClient, month: string): Promise<InvoiceT[]> {
  const invoices: InvoiceT[] = [];
  let cursor: string | undefined;
  do {
    const page = await listInvoices(table, { month }, { limit: 100, cursor });
    invoices.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return invoices;
}

/** Where an invoice may go from `issued`, and the field that records when. */
const SETTLED = { paid: 'paidAt', void: 'voidedAt' } as const;

/**
 * Marks an issued invoice paid or void (the only changes an issued invoice takes).
 * Asking again for the state it is in changes nothing.
 * @returns the invoice after the change, or undefined when there is none with this id
 * @throws ConflictError when it is already in the other of the two states
 */
export async function settleInvoice(
  table: TableClient,
  id: string,
  to: keyof typeof SETTLED,
  now: Date,
): Promise<{ invoice: InvoiceT; changed: boolean } | undefined> {
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.invoice(id),
        UpdateExpression: 'SET #state = :to, #at = :now, version = version + :one',
        ConditionExpression: 'attribute_exists(pk) AND #state = :issued',
        ExpressionAttributeNames: { '#state': 'state', '#at': SETTLED[to] },
        ExpressionAttributeValues: { ':to': to, ':now': now.toISOString(), ':one': 1, ':issued': 'issued' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { invoice: toResource<InvoiceT>(out.Attributes ?? {}), changed: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const found = await getInvoice(table, id, true);
    if (!found) return undefined;
    if (found.state === to) return { invoice: found, changed: false };
    throw new ConflictError(`The invoice is ${found.state}: only an issued invoice can become ${to}`);
  }
}
