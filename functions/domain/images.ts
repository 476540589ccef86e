/**
 * Image inheritance: a field not set on an image comes from the nearest
 * ancestor that sets it; native ids and per-cloud defaults resolve per connector.
 */
import type { z } from 'zod';
import type { Image, MachineDefaultsSchema, OutputSchema } from '#functions/schemas/images';

/** An output an image declares, with its default value. */
export type OutputSpec = Exclude<z.output<typeof OutputSchema>, string>;

/** Per-cloud machine defaults of an image. */
export type MachineDefaults = z.output<typeof MachineDefaultsSchema>;

/** An image as inheritance reads it: its own fields, not who owns it or when it changed. */
export type ImageDoc = Omit<z.output<typeof Image>, 'owner' | 'createdAt' | 'updatedAt'>;

export interface EffectiveImage {
  /** The chain, child first, as `{id, version}`: what a run records. */
  chain: { id: string; version: number }[];
  cloudImageIds: Record<string, string>;
  defaults: Record<string, MachineDefaults>;
  recipe?: string;
  inputs: string[];
  outputs: OutputSpec[];
  readiness: 'callback' | 'running';
}

/** Longest parent chain followed; deeper (or cyclic) chains are refused. */
export const MAX_IMAGE_DEPTH = 10;

const normalizeOutputs = (outputs: (string | OutputSpec)[]): OutputSpec[] => outputs.map((o) => (typeof o === 'string' ? { name: o } : o));

/** Resolves a chain given child first (`chain[0]` is the image itself). */
export function resolveImage(chain: ImageDoc[]): EffectiveImage {
  const nearest = <K extends keyof ImageDoc>(field: K): ImageDoc[K] | undefined => chain.find((i) => i[field] !== undefined)?.[field];
  const cloudImageIds: Record<string, string> = {};
  const defaults: Record<string, MachineDefaults> = {};
  for (const image of [...chain].reverse()) {
    Object.assign(cloudImageIds, image.cloudImageIds);
    Object.assign(defaults, image.defaults);
  }
  const recipe = nearest('recipe');
  const outputs = normalizeOutputs(nearest('outputs') ?? []);
  return {
    chain: chain.map(({ id, version }) => ({ id, version })),
    cloudImageIds,
    defaults,
    recipe,
    inputs: nearest('inputs') ?? [],
    outputs,
    readiness: nearest('readiness') ?? (recipe || outputs.length ? 'callback' : 'running'),
  };
}

/** Walks parents with `load` (by id), refusing cycles and overly deep chains. */
export async function loadChain(first: ImageDoc, load: (id: string) => Promise<ImageDoc | undefined>): Promise<ImageDoc[]> {
  const chain = [first];
  const seen = new Set([first.id]);
  let current = first;
  while (current.parent) {
    if (seen.has(current.parent)) throw new Error(`image ${first.name} has a cyclic parent chain`);
    if (chain.length >= MAX_IMAGE_DEPTH) throw new Error(`image ${first.name} has more than ${MAX_IMAGE_DEPTH} ancestors`);
    const parent = await load(current.parent);
    if (!parent) throw new Error(`image ${current.name} names a parent (${current.parent}) that no longer exists`);
    chain.push(parent);
    seen.add(parent.id);
    current = parent;
  }
  return chain;
}
