import { describe, expect, it } from 'vitest';
import type { CloudInstance } from '#connectors/contract';
import { TAG_ATTRIBUTES, TAG_NAMES, imageTagKey, imageTagMatches, imageTagPairs, readTag, tagKey, tagPairs, vmsByTag } from '#connectors/commons/tag';

const tag = { run: 'run_1', node: 'web', index: 2 };

describe('VM tags', () => {
  it('writes run, node and index under the slipway- tag names', () => {
    // Act
    const pairs = tagPairs(tag);
    // Assess
    expect(pairs).toEqual({ 'slipway-run': 'run_1', 'slipway-node': 'web', 'slipway-index': '2' });
    expect(TAG_NAMES).toEqual({ run: 'slipway-run', node: 'slipway-node', index: 'slipway-index' });
  });

  it('reads back the tag it wrote, under either naming', () => {
    // Act
    const read = [readTag(tagPairs(tag)), readTag(tagPairs(tag, TAG_ATTRIBUTES), TAG_ATTRIBUTES)];
    // Assess
    expect(read).toEqual([tag, tag]);
    expect(TAG_ATTRIBUTES).toEqual({ run: 'SLIPWAY_RUN', node: 'SLIPWAY_NODE', index: 'SLIPWAY_INDEX' });
  });

  it.each([
    ['no run', { 'slipway-node': 'web', 'slipway-index': '1' }],
    ['an empty run', { 'slipway-run': '', 'slipway-node': 'web', 'slipway-index': '1' }],
    ['no node', { 'slipway-run': 'r', 'slipway-index': '1' }],
    ['no index', { 'slipway-run': 'r', 'slipway-node': 'web' }],
    ['index 0', { 'slipway-run': 'r', 'slipway-node': 'web', 'slipway-index': '0' }],
    ['a fractional index', { 'slipway-run': 'r', 'slipway-node': 'web', 'slipway-index': '1.5' }],
    ['a word for index', { 'slipway-run': 'r', 'slipway-node': 'web', 'slipway-index': 'one' }],
  ])('reads no tag from pairs with %s', (_, pairs) => {
    // Act
    const read = readTag(pairs);
    // Assess
    expect(read).toBeUndefined();
  });

  it('keys a tag as run#node#index', () => {
    // Act
    const key = tagKey(tag);
    // Assess
    expect(key).toBe('run_1#web#2');
  });
});

describe('vmsByTag', () => {
  const vm = (cloudId: string, state: CloudInstance['state'], vmTag: CloudInstance['tag'] = tag): CloudInstance => ({
    cloudId,
    tag: vmTag,
    state,
    rawState: state,
  });

  it('keys the tagged VMs by tag and leaves untagged ones out', () => {
    // Act
    const map = vmsByTag([vm('a', 'running'), vm('b', 'running', undefined), vm('c', 'pending', { ...tag, index: 3 })]);
    // Assess
    expect([...map].map(([key, v]) => [key, v.cloudId])).toEqual([
      ['run_1#web#2', 'a'],
      ['run_1#web#3', 'c'],
    ]);
  });

  it('prefers the live VM of a tag used twice, in either order', () => {
    // Act
    const maps = [vmsByTag([vm('old', 'terminated'), vm('new', 'running')]), vmsByTag([vm('new', 'running'), vm('old', 'terminated')])];
    // Assess
    expect(maps.map((m) => m.get('run_1#web#2')!.cloudId)).toEqual(['new', 'new']);
  });

  it('keeps the first of two live VMs, and the first of two terminated ones', () => {
    // Act
    const maps = [vmsByTag([vm('first', 'running'), vm('second', 'pending')]), vmsByTag([vm('first', 'terminated'), vm('second', 'terminated')])];
    // Assess
    expect(maps.map((m) => m.get('run_1#web#2')!.cloudId)).toEqual(['first', 'first']);
  });
});

describe('image tags', () => {
  const imageTag = { image: 'img_mysql', build: 'bld_1' };

  it('writes the image and the build under slipway- keys, and keys them as image#build', () => {
    // Act
    const pairs = imageTagPairs(imageTag);
    const key = imageTagKey(imageTag);

    // Assess
    expect(pairs).toEqual({ 'slipway-image': 'img_mysql', 'slipway-build': 'bld_1' });
    expect(key).toBe('img_mysql#bld_1');
  });

  it('takes an image tagged for the build, or not tagged at all, and not one tagged for another build or image', () => {
    // Act
    const verdicts = [
      imageTagPairs(imageTag),
      {},
      { 'slipway-build': 'bld_1' },
      { 'slipway-build': 'bld_2', 'slipway-image': 'img_mysql' },
      { 'slipway-build': 'bld_1', 'slipway-image': 'img_other' },
    ].map((pairs) => imageTagMatches(pairs, imageTag));

    // Assess
    expect(verdicts).toEqual([true, true, true, false, false]);
  });
});
