/**
 * Projects in the table, over DynamoDB Local: the FilterExpression a listing sends
 * keeps exactly what `inProject` says (for random projects and filters), and the
 * project counters follow creates, moves and deletes through the same transactions.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProject, type ProjectFilter } from '#functions/domain/projects';
import { queryAll } from '#functions/store/items';
import { listProjects, projectCondition } from '#functions/store/projects';
import type { TableClient } from '#functions/store/table-client';
import { createVersioned, updateVersioned } from '#functions/store/versioned';
import { deleteVersioned } from '#functions/store/versioned-removal';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;
let table: TableClient;

beforeAll(async () => {
  stack = await startStepStack();
  table = stack.deps.table;
});

afterAll(async () => {
  await stack?.stop();
});

const segment = fc.constantFrom('a', 'ab', 'b', 'shop', 'shopping', 'x.y');
const project = fc.option(
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
  { nil: undefined },
);
const filter: fc.Arbitrary<ProjectFilter> = fc.record({ project, subprojects: fc.boolean() });

let partition = 0;

describe('projectCondition', () => {
  it('keeps in a Query exactly the items inProject keeps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(project, { minLength: 1, maxLength: 8 }), filter, async (projects, wanted) => {
        // Arrange: one partition of items, one per project
        const pk = `TEST#projects#${++partition}`;
        await Promise.all(
          projects.map((p, i) =>
            table.doc.send(new PutCommand({ TableName: table.name, Item: { pk, sk: String(i).padStart(2, '0'), ...(p ? { project: p } : {}) } })),
          ),
        );
        const kept = projectCondition(wanted);
        // Act
        const items = await queryAll(table, {
          KeyConditionExpression: 'pk = :pk',
          ...(kept.expression ? { FilterExpression: kept.expression } : {}),
          ...(Object.keys(kept.names).length ? { ExpressionAttributeNames: kept.names } : {}),
          ExpressionAttributeValues: { ':pk': pk, ...kept.values },
        });
        // Assess
        const expected = projects.flatMap((p, i) => (inProject(p, wanted) ? [String(i).padStart(2, '0')] : []));
        expect(items.map((item) => item.sk)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe('project counters', () => {
  const owner = 'usr_projects_counters';
  const at = '2031-01-01T00:00:00.000Z';
  const image = (id: string, name: string, proj?: string) => ({
    id,
    owner,
    name,
    ...(proj ? { project: proj } : {}),
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  const listed = async () => (await listProjects(table, owner, { limit: 100 })).items;

  it('count a create in its project, move on a move, and drop on a delete (a project left empty is not listed)', async () => {
    // Act: two images in a/b, one at the top level, then a move and a delete
    const one = await createVersioned(table, 'image', image('img_pc1', 'one', 'a/b'));
    await createVersioned(table, 'image', image('img_pc2', 'two', 'a/b'));
    await createVersioned(table, 'image', image('img_pc3', 'top'));
    const afterCreates = await listed();
    await updateVersioned(table, 'image', one, 1, { ...one, project: 'c' });
    const afterMove = await listed();
    await deleteVersioned(table, 'image', { id: 'img_pc2', owner, name: 'two' });
    await deleteVersioned(table, 'image', { id: 'img_pc3', owner, name: 'top' });
    const afterDeletes = await listed();
    // Assess
    expect(afterCreates).toEqual([{ path: 'a/b', images: 2, deployments: 0, products: 0 }]);
    expect(afterMove).toEqual([
      { path: 'a/b', images: 1, deployments: 0, products: 0 },
      { path: 'c', images: 1, deployments: 0, products: 0 },
    ]);
    expect(afterDeletes).toEqual([{ path: 'c', images: 1, deployments: 0, products: 0 }]);
  });

  it('stay as they are when a resource changes within its project', async () => {
    // Arrange
    const kept = await createVersioned(table, 'image', image('img_pc6', 'kept', 'e'));
    // Act
    const next = await updateVersioned(table, 'image', kept, 1, { ...kept, name: 'renamed' });
    // Assess
    expect(next.version).toBe(2);
    expect((await listed()).find((p) => p.path === 'e')).toEqual({ path: 'e', images: 1, deployments: 0, products: 0 });
  });

  it('count nothing for a create refused by a taken path', async () => {
    // Arrange
    await createVersioned(table, 'image', image('img_pc4', 'dup', 'd'));
    // Act
    const refused = await createVersioned(table, 'image', image('img_pc5', 'dup', 'd')).catch((error: Error) => error);
    // Assess
    expect(refused).toBeInstanceOf(Error);
    expect((await listed()).find((p) => p.path === 'd')).toEqual({ path: 'd', images: 1, deployments: 0, products: 0 });
  });
});
