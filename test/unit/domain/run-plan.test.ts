import { describe, expect, it } from 'vitest';
import type { NodeSpec } from '#functions/domain/deployment-graph';
import { resolveImage } from '#functions/domain/images';
import { countByConnector, planRun, type PlanInput } from '#functions/domain/run-plan';

const effective = resolveImage([
  {
    id: 'img',
    name: 'img',
    version: 1,
    cloudImageIds: { a: 'a-img', b: 'b-img' },
    defaults: { a: { instanceType: 'small', cpu: 1, ramMb: 1024, diskGb: 10 } },
    outputs: ['host'],
    recipe: 'r',
  },
]);
const node = (name: string, fields: Partial<NodeSpec> = {}): NodeSpec => ({ name, image: 'img', multiplicity: 1, inputs: {}, ...fields });
const input = (fields: Partial<PlanInput>): PlanInput => ({
  nodes: [node('db')],
  images: { db: effective },
  runConnector: 'a',
  overrides: {},
  knownConnectors: new Set(['a', 'b']),
  ...fields,
});

describe('planRun', () => {
  it("plans each VM with its image's native id, machine defaults, readiness, recipe, outputs and inputs", () => {
    // Act
    const plan = planRun(input({ nodes: [node('web', { inputs: { db_host: 'db:host' } })], images: { web: effective } }));
    // Assess
    expect(plan).toEqual({
      problems: [],
      instances: [
        {
          node: 'web',
          index: 1,
          name: 'web.1',
          connector: 'a',
          imageId: 'a-img',
          instanceType: 'small',
          cpu: 1,
          ramMb: 1024,
          diskGb: 10,
          readiness: 'callback',
          recipe: 'r',
          outputs: [{ name: 'host' }],
          inputs: { db_host: 'db:host' },
        },
      ],
    });
  });

  it("prefers the node's instance type to the image default", () => {
    // Act
    const plan = planRun(input({ nodes: [node('db', { instanceType: 'large' })] }));
    // Assess
    expect(plan.instances[0]!.instanceType).toBe('large');
  });

  it("takes the run's override, else the node's connector, else the run's, and the override's multiplicity", () => {
    // Act
    const plan = planRun(
      input({
        nodes: [node('db', { connector: 'b' }), node('web', { connector: 'b', multiplicity: 3 }), node('cache')],
        images: { db: effective, web: effective, cache: effective },
        overrides: { web: { connector: 'a', multiplicity: 2 } },
      }),
    );
    // Assess
    expect(plan.instances.map((i) => `${i.name}@${i.connector}:${i.imageId}`)).toEqual(['db.1@b:b-img', 'web.1@a:a-img', 'web.2@a:a-img', 'cache.1@a:a-img']);
  });

  it('names every problem at once, planning none of the nodes that have one', () => {
    // Act
    const plan = planRun(
      input({
        nodes: [node('nowhere'), node('unknown', { connector: 'zz' }), node('imageless'), node('foreign', { connector: 'c' }), node('fine')],
        images: { nowhere: effective, unknown: effective, foreign: effective, fine: effective },
        runConnector: undefined,
        overrides: { ghost: { multiplicity: 2 }, imageless: { connector: 'a' }, fine: { connector: 'a' } },
        knownConnectors: new Set(['a', 'c']),
      }),
    );
    // Assess
    expect(plan.problems).toEqual([
      'the deployment has no node "ghost"',
      'node "nowhere" has no connector: give the run a connector or the node one',
      'node "unknown": no connector named "zz"',
      'node "imageless": its image no longer exists',
      'node "foreign": image has no native id for connector "c"',
    ]);
    expect(plan.instances.map((i) => i.name)).toEqual(['fine.1']);
  });
});

describe('countByConnector', () => {
  it('counts the VMs per connector', () => {
    // Act
    const counts = countByConnector([{ connector: 'a' }, { connector: 'b' }, { connector: 'a' }]);
    // Assess
    expect(counts).toEqual({ a: 2, b: 1 });
  });
});
