import { describe, expect, it } from 'vitest';
import { resolveImage, type ImageDoc } from '#functions/domain/images';
import { checkGraph, topologicalOrder, type NodeSpec } from '#functions/domain/deployment-graph';
import { resolveInputs } from '#functions/domain/parameters';
import { planRun } from '#functions/domain/run-plan';
import { abortReason } from '#functions/domain/abort-reason';
import { secondsPerDay } from '#functions/domain/usage';

const ubuntu: ImageDoc = { id: 'img_u', name: 'ubuntu', version: 3, cloudImageIds: { a: 'ami-1', b: 'b-1' }, defaults: { a: { instanceType: 'small' } } };
const mysql: ImageDoc = {
  id: 'img_m',
  name: 'mysql',
  version: 1,
  parent: 'img_u',
  cloudImageIds: { a: 'ami-2' },
  recipe: 'install',
  outputs: ['hostname', { name: 'port', default: '3306' }],
};

describe('image inheritance', () => {
  it('takes the nearest native id per connector and inherits the rest', () => {
    const effective = resolveImage([mysql, ubuntu]);

    expect(effective.cloudImageIds).toEqual({ a: 'ami-2', b: 'b-1' });
    expect(effective.defaults).toEqual({ a: { instanceType: 'small' } });
    expect(effective.chain).toEqual([
      { id: 'img_m', version: 1 },
      { id: 'img_u', version: 3 },
    ]);
  });

  it('waits for a callback when the image has a recipe or outputs, else for running', () => {
    expect(resolveImage([mysql, ubuntu]).readiness).toBe('callback');
    expect(resolveImage([ubuntu]).readiness).toBe('running');
    expect(resolveImage([mysql, ubuntu]).outputs).toEqual([{ name: 'hostname' }, { name: 'port', default: '3306' }]);
  });
});

describe('deployment graph', () => {
  const node = (name: string, inputs: Record<string, string> = {}) => ({ name, image: 'x', multiplicity: 1, inputs });

  it('orders nodes after the nodes they take inputs from', () => {
    expect(topologicalOrder([node('web', { db_host: 'db:hostname' }), node('db')])).toEqual(['db', 'web']);
  });

  it('reports unknown sources, self references and cycles', () => {
    expect(checkGraph([node('a', { x: 'zz:out' })])).toEqual([{ path: 'body.nodes.0.inputs.x', message: 'no node named "zz"' }]);
    expect(checkGraph([node('a', { x: 'a:out' })])[0]?.message).toMatch(/itself/);
    expect(checkGraph([node('a', { x: 'b:o' }), node('b', { y: 'a:o' })])).toEqual([{ path: 'body.nodes', message: 'the input mappings form a cycle' }]);
  });
});

describe('run planning', () => {
  const images = { db: resolveImage([mysql, ubuntu]), web: resolveImage([ubuntu]) };
  const nodes: NodeSpec[] = [
    { name: 'db', image: 'img_m', multiplicity: 1, inputs: {} },
    { name: 'web', image: 'img_u', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
  ];

  it('plans one instance per multiplicity with the native id of the chosen connector', () => {
    const plan = planRun({ nodes, images, runConnector: 'a', overrides: { web: { multiplicity: 3 } }, knownConnectors: new Set(['a']) });

    expect(plan.problems).toEqual([]);
    expect(plan.instances.map((i) => `${i.name}@${i.imageId}`)).toEqual(['db.1@ami-2', 'web.1@ami-1', 'web.2@ami-1', 'web.3@ami-1']);
  });

  it('lists every unsatisfiable node at once', () => {
    const plan = planRun({ nodes, images, runConnector: 'c', overrides: {}, knownConnectors: new Set(['a', 'c']) });

    expect(plan.problems).toEqual(['node "db": image has no native id for connector "c"', 'node "web": image has no native id for connector "c"']);
  });

  it('reads inputs from the first instance of the source node', () => {
    const published = (node: string, index: number, name: string) => (node === 'db' && index === 1 && name === 'hostname' ? 'db-1.local' : undefined);

    expect(resolveInputs({ db_host: 'db:hostname', other: 'db:port' }, published)).toEqual({ values: { db_host: 'db-1.local' }, missing: ['other'] });
  });
});

describe('usage and abort reasons', () => {
  it('splits a VM lifetime across UTC days', () => {
    expect(secondsPerDay(new Date('2026-01-01T23:59:00Z'), new Date('2026-01-02T00:01:00Z'))).toEqual({ '2026-01-01': 60, '2026-01-02': 60 });
  });

  it('reads the message out of a Lambda error cause', () => {
    const cause = JSON.stringify({ errorType: 'QuotaExceededError', errorMessage: 'quota exceeded on sim-eu', trace: [] });

    expect(abortReason({ Error: 'QuotaExceededError', Cause: cause })).toBe('Quota exceeded: quota exceeded on sim-eu');
    expect(abortReason({ Error: 'BootTimeoutError', Cause: 'late' })).toBe('Boot deadline passed: late');
  });
});
