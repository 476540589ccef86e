import { describe, expect, it } from 'vitest';
import { loadChain, MAX_IMAGE_DEPTH, resolveImage, type ImageDoc } from '#functions/domain/images';

const image = (id: string, fields: Partial<ImageDoc> = {}): ImageDoc => ({ id, name: `${id}-name`, version: 1, ...fields });

describe('resolveImage', () => {
  it('takes each field from the nearest image that sets it', () => {
    // Prepare
    const base = image('base', { recipe: 'base recipe', inputs: ['a'], outputs: ['x'], readiness: 'running' });
    const child = image('child', { parent: 'base', recipe: 'child recipe' });
    // Act
    const effective = resolveImage([child, base]);
    // Assess
    expect(effective).toMatchObject({ recipe: 'child recipe', inputs: ['a'], outputs: [{ name: 'x' }], readiness: 'running' });
  });

  it('merges native ids and machine defaults per connector, the child winning', () => {
    // Prepare
    const base = image('base', { cloudImageIds: { a: 'a-1', b: 'b-1' }, defaults: { a: { instanceType: 'small' }, b: { cpu: 2 } } });
    const child = image('child', { parent: 'base', cloudImageIds: { a: 'a-2' }, defaults: { b: { ramMb: 512 } } });
    // Act
    const effective = resolveImage([child, base]);
    // Assess
    expect(effective.cloudImageIds).toEqual({ a: 'a-2', b: 'b-1' });
    expect(effective.defaults).toEqual({ a: { instanceType: 'small' }, b: { ramMb: 512 } });
  });

  it('records the chain, child first, as ids and versions', () => {
    // Act
    const effective = resolveImage([image('child', { version: 4 }), image('base', { version: 2 })]);
    // Assess
    expect(effective.chain).toEqual([
      { id: 'child', version: 4 },
      { id: 'base', version: 2 },
    ]);
  });

  it.each([
    ['a recipe', { recipe: 'install' }, 'callback'],
    ['outputs', { outputs: ['port'] }, 'callback'],
    ['neither recipe nor outputs', {}, 'running'],
    ['an explicit readiness', { recipe: 'install', readiness: 'running' as const }, 'running'],
  ])('waits for %s as %s', (_, fields, readiness) => {
    // Act
    const effective = resolveImage([image('only', fields)]);
    // Assess
    expect(effective.readiness).toBe(readiness);
  });

  it('gives no inputs and no outputs to an image chain that declares none', () => {
    // Act
    const effective = resolveImage([image('only')]);
    // Assess
    expect(effective).toMatchObject({ inputs: [], outputs: [], cloudImageIds: {}, defaults: {} });
    expect(effective.recipe).toBeUndefined();
  });

  it('keeps output defaults', () => {
    // Act
    const effective = resolveImage([image('only', { outputs: ['host', { name: 'port', default: '3306' }] })]);
    // Assess
    expect(effective.outputs).toEqual([{ name: 'host' }, { name: 'port', default: '3306' }]);
  });
});

describe('loadChain', () => {
  const library = (...images: ImageDoc[]) => {
    const loaded: string[] = [];
    const load = async (id: string) => {
      loaded.push(id);
      return images.find((i) => i.id === id);
    };
    return { load, loaded };
  };

  it('walks the parents from the image up to its root', async () => {
    // Prepare
    const { load, loaded } = library(image('b', { parent: 'c' }), image('c'));
    // Act
    const chain = await loadChain(image('a', { parent: 'b' }), load);
    // Assess
    expect(chain.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(loaded).toEqual(['b', 'c']);
  });

  it('loads nothing for an image without a parent', async () => {
    // Prepare
    const { load, loaded } = library();
    // Act
    const chain = await loadChain(image('a'), load);
    // Assess
    expect(chain.map((i) => i.id)).toEqual(['a']);
    expect(loaded).toEqual([]);
  });

  it('refuses a cyclic chain, naming the image', async () => {
    // Prepare
    const { load } = library(image('b', { parent: 'a' }));
    // Act
    const chain = loadChain(image('a', { parent: 'b' }), load);
    // Assess
    await expect(chain).rejects.toThrow('image a-name has a cyclic parent chain');
  });

  it('refuses a chain deeper than the limit, and accepts one at the limit', async () => {
    // Prepare
    const deep = Array.from({ length: MAX_IMAGE_DEPTH + 1 }, (_, i) => image(`i${i}`, i < MAX_IMAGE_DEPTH ? { parent: `i${i + 1}` } : {}));
    const { load } = library(...deep);
    const atLimit = Array.from({ length: MAX_IMAGE_DEPTH }, (_, i) => image(`j${i}`, i < MAX_IMAGE_DEPTH - 1 ? { parent: `j${i + 1}` } : {}));
    // Act
    const tooDeep = loadChain(deep[0]!, load);
    const fits = await loadChain(atLimit[0]!, library(...atLimit).load);
    // Assess
    await expect(tooDeep).rejects.toThrow(`image i0-name has more than ${MAX_IMAGE_DEPTH} ancestors`);
    expect(fits).toHaveLength(MAX_IMAGE_DEPTH);
    expect(MAX_IMAGE_DEPTH).toBe(10);
  });

  it('refuses a chain whose parent is gone, naming both', async () => {
    // Prepare
    const { load } = library(image('b', { parent: 'gone' }));
    // Act
    const chain = loadChain(image('a', { parent: 'b' }), load);
    // Assess
    await expect(chain).rejects.toThrow('image b-name names a parent (gone) that no longer exists');
  });
});
