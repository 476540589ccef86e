/**
 * Projects in the table: a resource's project is an attribute on its items, its path
 * (`shop/backend/mysql`) its name guard and its owner-index sort key, and a counter
 * item per owner and project (`keys.project`) counts what the project holds directly,
 * moved in the same transactions that create, move and delete the resources, so
 * `GET /v1/projects` is one Query.
 */
import type { ProjectFilter } from '#functions/domain/projects';
import { queryPage, type Page } from './items';
import { keys, type VersionedType } from './keys';
import type { TableClient } from './table-client';

/** The counter attribute of each type on a project's item. */
const COUNTED: Record<VersionedType, string> = { image: 'images', deployment: 'deployments', product: 'products' };

export interface ProjectSummary {
  path: string;
  images: number;
  deployments: number;
  products: number;
}

/** The transaction item that counts `delta` more resources of `type` in `project` (none at the top level). */
export function projectCountItems(table: TableClient, type: VersionedType, owner: string, project: string | undefined, delta: number): object[] {
  if (project === undefined) return [];
  return [
    {
      Update: {
        TableName: table.name,
        Key: keys.project(owner, project),
        UpdateExpression: 'ADD #n :d',
        ExpressionAttributeNames: { '#n': COUNTED[type] },
        ExpressionAttributeValues: { ':d': delta },
      },
    },
  ];
}

/** The counter moves of a resource going from project `from` to `to` (nothing when it stays). */
export function projectMoveItems(table: TableClient, type: VersionedType, owner: string, from: string | undefined, to: string | undefined): object[] {
  if (from === to) return [];
  return [...projectCountItems(table, type, owner, from, -1), ...projectCountItems(table, type, owner, to, 1)];
}

/**
 * The FilterExpression that keeps a listing's items in the filter's project
 * (see `inProject`, which says the same in code).
 */
export function projectCondition(filter: ProjectFilter): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const names = { '#project': 'project' };
  if (filter.project === undefined) return filter.subprojects ? { names: {}, values: {} } : { expression: 'attribute_not_exists(#project)', names, values: {} };
  if (!filter.subprojects) return { expression: '#project = :project', names, values: { ':project': filter.project } };
  return {
    expression: '(#project = :project OR begins_with(#project, :below))',
    names,
    values: { ':project': filter.project, ':below': `${filter.project}/` },
  };
}

/** An owner's projects that hold something, by path, with how many of each type each holds directly. */
export async function listProjects(table: TableClient, owner: string, page: { limit: number; cursor?: string }): Promise<Page<ProjectSummary>> {
  return queryPage<ProjectSummary>(
    table,
    {
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#i > :zero OR #d > :zero OR #p > :zero',
      ExpressionAttributeNames: { '#i': COUNTED.image, '#d': COUNTED.deployment, '#p': COUNTED.product },
      ExpressionAttributeValues: { ':pk': keys.projectPrefix(owner).pk, ':zero': 0 },
    },
    page,
    (item) => ({
      path: String(item.sk),
      images: Number(item[COUNTED.image] ?? 0),
      deployments: Number(item[COUNTED.deployment] ?? 0),
      products: Number(item[COUNTED.product] ?? 0),
    }),
  );
}
