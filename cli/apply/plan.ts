/**
 * What `apply` would change: each declared image and deployment compared with
 * the current version of the same name (create, update with the differing
 * fields, or unchanged). References by name are resolved to ids, images in
 * dependency order (parents first), because the API stores ids.
 */
import type { DeploymentInputT, DeploymentT, ImageInputT, ImageT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { UsageError } from '../exit-codes';
import type { AppFile } from './app-file';
import { canonical, equal, fieldDiff, type FieldChange } from './field-diff';

export type Action = 'create' | 'update' | 'unchanged';

interface ChangeOf<K extends string, Current, Desired> {
  kind: K;
  name: string;
  action: Action;
  /** The current version (absent: to create). */
  current?: Current;
  /** What would be sent, references as ids (or {@link newRef} for images this apply creates). */
  desired: Desired;
  diff: FieldChange[];
}

export type ImageChange = ChangeOf<'image', ImageT, ImageInputT>;
export type DeploymentChange = ChangeOf<'deployment', DeploymentT, DeploymentInputT>;
export type Change = ImageChange | DeploymentChange;

export interface ApplyPlan {
  /** Images parents first, then deployments. */
  changes: Change[];
  /** Image ids and names, both ways, for showing references by name. */
  imageNames: Map<string, string>;
}

/** How a reference to an image that this apply will create is held until it has an id. */
export const newRef = (name: string): string => `new:${name}`;

const IMAGE_FIELDS = ['name', 'parent', 'cloudImageIds', 'defaults', 'recipe', 'inputs', 'outputs', 'readiness'] as const;

/** Only the fields a request sets, in canonical form (as the API stores them). */
const pick = <T extends object>(value: T, names: readonly string[]): T =>
  canonical(Object.fromEntries(names.map((n) => [n, (value as Record<string, unknown>)[n]]))) as T;

/** A deployment's fields with the API's defaults (multiplicity 1, inputs {}), as stored. */
function deploymentFields(value: DeploymentInputT): DeploymentInputT {
  const nodes = (value.nodes ?? []).map((node) =>
    pick({ ...node, multiplicity: node.multiplicity ?? 1, inputs: node.inputs ?? {} }, [
      'name',
      'image',
      'multiplicity',
      'connector',
      'instanceType',
      'inputs',
    ]),
  );
  return pick({ ...value, nodes }, ['name', 'description', 'nodes']);
}

/** Images of the file, parents (declared in the file) before children. @throws UsageError on a cycle */
function parentsFirst(images: ImageInputT[]): ImageInputT[] {
  const byName = new Map(images.map((image) => [image.name, image]));
  const ordered: ImageInputT[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (image: ImageInputT, path: string[]) => {
    if (state.get(image.name) === 'done') return;
    if (state.get(image.name) === 'visiting') throw new UsageError(`images: the parents form a cycle: ${[...path, image.name].join(' → ')}`);
    state.set(image.name, 'visiting');
    const parent = image.parent ? byName.get(image.parent) : undefined;
    if (parent) visit(parent, [...path, image.name]);
    state.set(image.name, 'done');
    ordered.push(image);
  };
  for (const image of images) visit(image, []);
  return ordered;
}

/** Reads what exists and compares; changes nothing. @throws UsageError when a reference names no image */
export async function planApply(client: SlipwayClient, file: AppFile): Promise<ApplyPlan> {
  const images = parentsFirst(file.images);
  const imageNames = new Map<string, string>();
  const declared = new Set(images.map((i) => i.name));
  const currentImages = await Promise.all(images.map((image) => client.find<ImageT>(`/images/${seg(image.name)}`)));
  const idOf = new Map<string, string>();
  images.forEach((image, i) => {
    const current = currentImages[i];
    idOf.set(image.name, current?.id ?? newRef(image.name));
    if (current) imageNames.set(current.id, current.name);
  });
  const problems: string[] = [];
  /** An image reference (name or id) → id: declared in the file, or found on the server. */
  const resolve = async (ref: string, where: string): Promise<string> => {
    if (declared.has(ref)) return idOf.get(ref)!;
    if (!idOf.has(ref)) {
      const found = await client.find<ImageT>(`/images/${seg(ref)}`);
      idOf.set(ref, found?.id ?? '');
      if (found) imageNames.set(found.id, found.name);
    }
    const id = idOf.get(ref)!;
    if (!id) problems.push(`${where}: no image "${ref}" in the file or on the server`);
    return id || ref;
  };

  const changes: Change[] = [];
  for (const [i, image] of images.entries()) {
    const parent = image.parent ? await resolve(image.parent, `images.${image.name}.parent`) : undefined;
    const desired: ImageInputT = pick<ImageInputT>({ ...image, parent }, IMAGE_FIELDS);
    changes.push(compare('image', image.name, currentImages[i], desired, (current): ImageInputT => pick(current, IMAGE_FIELDS)));
  }
  for (const deployment of file.deployments) {
    const nodes = await Promise.all(
      (deployment.nodes ?? []).map(async (node, i) => ({ ...node, image: await resolve(node.image, `deployments.${deployment.name}.nodes[${i}].image`) })),
    );
    const current = await client.find<DeploymentT>(`/deployments/${seg(deployment.name)}`);
    changes.push(compare('deployment', deployment.name, current, deploymentFields({ ...deployment, nodes }), deploymentFields));
  }
  if (problems.length) throw new UsageError(`Nothing was changed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { changes, imageNames };
}

function compare<K extends Change['kind'], C extends { version: number }, D extends object>(
  kind: K,
  name: string,
  current: C | undefined,
  desired: D,
  fieldsOf: (current: C) => D,
): ChangeOf<K, C, D> {
  if (!current) return { kind, name, action: 'create', desired, diff: fieldDiff({}, desired) };
  const now = fieldsOf(current);
  return { kind, name, action: equal(now, desired) ? 'unchanged' : 'update', current, desired, diff: fieldDiff(now, desired) };
}
