/**
 * How Slipway marks the VMs and native images it makes: the one home of the tag
 * format. Every kind writes these tags (as tags, metadata or template attributes)
 * and reads them back to find a VM (or image) it already made and to list a run's VMs in bulk.
 */
import type { CloudInstance, ImageTag, InstanceTag } from '#connectors/contract';

/** Tag names for clouds that take free-form keys (EC2, OpenStack metadata, CloudStack tags). */
export const TAG_NAMES = { run: 'slipway-run', node: 'slipway-node', index: 'slipway-index' } as const;

/** Attribute names for clouds whose keys must be upper-case identifiers (OpenNebula templates). */
export const TAG_ATTRIBUTES = { run: 'SLIPWAY_RUN', node: 'SLIPWAY_NODE', index: 'SLIPWAY_INDEX' } as const;

/** One string for a tag (`run#node#index`), for maps, keys and hashes. */
export function tagKey(tag: InstanceTag): string {
  return `${tag.run}#${tag.node}#${tag.index}`;
}

/** The tags to write on a VM, under `names`. */
export function tagPairs(tag: InstanceTag, names: Record<keyof InstanceTag, string> = TAG_NAMES): Record<string, string> {
  return { [names.run]: tag.run, [names.node]: tag.node, [names.index]: String(tag.index) };
}

/**
 * Reads a tag back from a VM's key/value pairs; undefined when any part is
 * missing or malformed (a VM that is not Slipway's, or was tagged by hand).
 */
export function readTag(pairs: Record<string, string | undefined>, names: Record<keyof InstanceTag, string> = TAG_NAMES): InstanceTag | undefined {
  const run = pairs[names.run];
  const node = pairs[names.node];
  const index = Number(pairs[names.index]);
  if (!run || !node || !Number.isInteger(index) || index < 1) return undefined;
  return { run, node, index };
}

/**
 * The cloud's VMs by tag key. When a tag was used twice (a terminated VM still
 * listed next to a new one, after a scale down and up), the live VM wins.
 */
export function vmsByTag(vms: CloudInstance[]): Map<string, CloudInstance> {
  const map = new Map<string, CloudInstance>();
  for (const vm of vms) {
    if (!vm.tag) continue;
    const key = tagKey(vm.tag);
    const seen = map.get(key);
    if (!seen || (seen.state === 'terminated' && vm.state !== 'terminated')) map.set(key, vm);
  }
  return map;
}

/** Tag names of a built native image, for clouds that take free-form keys (EC2 tags, Glance image properties). */
export const IMAGE_TAG_NAMES = { image: 'slipway-image', build: 'slipway-build' } as const;

/** One string for an image tag (`image#build`), for keys and hashes. */
export function imageTagKey(tag: ImageTag): string {
  return `${tag.image}#${tag.build}`;
}

/** The tags to write on a native image. */
export function imageTagPairs(tag: ImageTag): Record<string, string> {
  return { [IMAGE_TAG_NAMES.image]: tag.image, [IMAGE_TAG_NAMES.build]: tag.build };
}

/**
 * Whether an image found by its name is the one made for `tag`: one that carries no
 * Slipway tag at all is taken (a cloud that dropped the tags), one tagged for
 * another build is not.
 */
export function imageTagMatches(pairs: Record<string, string | undefined>, tag: ImageTag): boolean {
  const build = pairs[IMAGE_TAG_NAMES.build];
  const image = pairs[IMAGE_TAG_NAMES.image];
  return (build === undefined || build === tag.build) && (image === undefined || image === tag.image);
}
