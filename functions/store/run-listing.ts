/** Listing runs and their events: the queries behind `GET /v1/runs` and `GET /v1/runs/{id}/events`. */
import type { RunState } from '#functions/domain/run-states';
import { queryPage, toResource, type Page } from './items';
import { indexKeys, keys } from './keys';
import type { RunDoc } from './runs';
import { TABLE } from './table';
import type { TableClient } from './table-client';
import type { Visibility } from './resources';

/** What a run listing may be narrowed to. */
export interface RunFilters {
  state?: RunState;
  /** The deployment's id. */
  deployment?: string;
}

/** A run's event as stored. */
export interface RunEventDoc {
  at: string;
  type: string;
  state?: RunState;
  message: string;
}

/** The caller's runs (an admin: everyone's), newest first; filters apply within each page. */
export async function listRuns(table: TableClient, who: Visibility, filters: RunFilters, page: { limit: number; cursor?: string }): Promise<Page<RunDoc>> {
  const index = who.isAdmin ? TABLE.indexes.byType : TABLE.indexes.byOwner;
  const pk = who.isAdmin ? indexKeys.byType('run', '').gsi2pk : indexKeys.byOwner('run', who.userId, '').gsi1pk;
  const wanted = Object.entries(filters).filter(([, value]) => value !== undefined);
  return queryPage<RunDoc>(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ScanIndexForward: false,
      ...(wanted.length ? { FilterExpression: wanted.map(([name]) => `#${name} = :${name}`).join(' AND ') } : {}),
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...Object.fromEntries(wanted.map(([name]) => [`#${name}`, name])) },
      ExpressionAttributeValues: { ':pk': pk, ...Object.fromEntries(wanted.map(([name, value]) => [`:${name}`, value])) },
    },
    page,
  );
}

/** A run's events, oldest first. */
export async function listRunEvents(table: TableClient, runId: string, page: { limit: number; cursor?: string }): Promise<Page<RunEventDoc>> {
  const prefix = keys.runEventPrefix(runId);
  return queryPage(
    table,
    { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix } },
    page,
    (item) => toResource<RunEventDoc>(item),
  );
}
