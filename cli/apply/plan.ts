/**
 * What `apply` would change: each declared image, deployment and product compared with
 * the current version at the same path (`project/name`, or the name at the top
 * level): create, update with the differing fields, or unchanged. References are
 * sent as the file writes them (the API resolves a bare name in the resource's
 * project first, then at the top level); to compare them with what the API
 * stores (ids), the plan resolves them the same way. Images in dependency order
 * (parents first).
 */
import type { DeploymentInputT, DeploymentT, ImageInputT, ImageT, ProductInputT, ProductT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { UsageError } from '../exit-codes';
import { filePlans, ownCredential } from '../product-file';
import { candidatePaths, pathOf } from '../projects';
import type { AppFile } from './app-file';
import { canonical, equal, fieldDiff, type FieldChange } from './field-diff';

export type Action = 'create' | 'update' | 'unchanged';

interface ChangeOf<K extends string, Current, Desired> {
  kind: K;
  name: string;
  /** The project it is in (absent: the top level). */
  project?: string;
  /** `project/name`, or the name at the top level. */
  path: string;
  action: Action;
  /** The current version (absent: to create). */
  current?: Current;
  /** What it should be, references as ids (or {@link newRef} for images this apply creates): what is compared and shown. */
  desired: Desired;
  /** What would be sent: {@link desired} with the references as the file writes them. */
  body: Desired;
  diff: FieldChange[];
}

export type ImageChange = ChangeOf<'image', ImageT, ImageInputT>;
export type DeploymentChange = ChangeOf<'deployment', DeploymentT, DeploymentInputT>;
export type ProductChange = ChangeOf<'product', ProductT, ProductInputT>;
export type Change = ImageChange | DeploymentChange | ProductChange;

export interface ApplyPlan {
  /** Images parents first, then deployments, then products. */
  changes: Change[];
  /** Image and deployment ids → paths, for showing references by path. */
  imageNames: Map<string, string>;
}

/** How a reference to an image that this apply will create is held until it has an id. */
export const newRef = (name: string): string => `new:${name}`;

const IMAGE_FIELDS = ['name', 'project', 'parent', 'cloudImageIds', 'defaults', 'recipe', 'inputs', 'outputs', 'readiness'] as const;

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
  return pick({ ...value, nodes }, ['name', 'project', 'description', 'nodes']);
}

const PRODUCT_FIELDS = ['name', 'project', 'description', 'deployment', 'deploymentVersion', 'connector', 'credential', 'plans', 'tags'] as const;

/** A product's fields with the API's defaults (tags {}), as stored. */
const productFields = (value: ProductInputT): ProductInputT => pick({ ...value, tags: value.tags ?? {} }, PRODUCT_FIELDS);

/** Images of the file, parents (declared in the file) before children. @throws UsageError on a cycle */
function parentsFirst(images: ImageInputT[]): ImageInputT[] {
  const byPath = new Map(images.map((image) => [pathOf(image), image]));
  const ordered: ImageInputT[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (image: ImageInputT, trail: string[]) => {
    const at = pathOf(image);
    if (state.get(at) === 'done') return;
    if (state.get(at) === 'visiting') throw new UsageError(`images: the parents form a cycle: ${[...trail, at].join(' → ')}`);
    state.set(at, 'visiting');
    // Every image of the file the parent may mean comes first (which one the API takes may depend on what exists).
    for (const candidate of image.parent ? candidatePaths(image.parent, image.project) : []) {
      const parent = byPath.get(candidate);
      if (parent && parent !== image) visit(parent, [...trail, at]);
    }
    state.set(at, 'done');
    ordered.push(image);
  };
  for (const image of images) visit(image, []);
  return ordered;
}

/**
 * Resolves references to images or deployments as the API will: an id as it is, else each
 * path the reference may mean (`candidatePaths`), looked up first in `known` (the file's own
 * resources and earlier answers) and then on the server, whose answers are remembered (and
 * their paths put in `names`). A reference that names nothing is recorded in `problems`.
 */
function referenceResolver<T, R extends ImageT | DeploymentT>(options: {
  client: SlipwayClient;
  what: 'image' | 'deployment';
  idPrefix: string;
  known: Map<string, T | undefined>;
  valueOf: (found: R) => T;
  names: Map<string, string>;
  problems: string[];
  missing: (ref: string) => T;
}) {
  const { client, what, known, names } = options;
  return async (ref: string, project: string | undefined, where: string): Promise<T> => {
    const candidates = ref.startsWith(options.idPrefix) ? [ref] : candidatePaths(ref, project);
    for (const candidate of candidates) {
      if (!known.has(candidate)) {
        const found = await client.find<R>(`/${what}s/${seg(candidate)}`);
        known.set(candidate, found && options.valueOf(found));
        if (found) names.set(found.id, pathOf(found));
      }
      const hit = known.get(candidate);
      if (hit) return hit;
    }
    options.problems.push(`${where}: no ${what} "${ref}" in the file or on the server${candidates.length > 1 ? ` (looked for ${candidates.join(', ')})` : ''}`);
    return options.missing(ref);
  };
}

/** Reads what exists and compares; changes nothing. @throws UsageError when a reference names no image */
export async function planApply(client: SlipwayClient, file: AppFile): Promise<ApplyPlan> {
  const images = parentsFirst(file.images);
  const imageNames = new Map<string, string>();
  const currentImages = await Promise.all(images.map((image) => client.find<ImageT>(`/images/${seg(pathOf(image))}`)));
  /** Image paths (and ids) → ids: the file's images (new ones as {@link newRef}), then what the server was asked about (undefined for nothing). */
  const idOf = new Map<string, string | undefined>();
  images.forEach((image, i) => {
    const current = currentImages[i];
    idOf.set(pathOf(image), current?.id ?? newRef(pathOf(image)));
    if (current) imageNames.set(current.id, pathOf(current));
  });
  const problems: string[] = [];
  const resolve = referenceResolver<string, ImageT>({
    client,
    what: 'image',
    idPrefix: 'img_',
    known: idOf,
    valueOf: (found) => found.id,
    names: imageNames,
    problems,
    missing: (ref) => ref,
  });

  const changes: Change[] = [];
  const deploymentNames = new Map<string, string>();
  for (const [i, image] of images.entries()) {
    const parent = image.parent ? await resolve(image.parent, image.project, `images.${pathOf(image)}.parent`) : undefined;
    const desired: ImageInputT = pick<ImageInputT>({ ...image, parent }, IMAGE_FIELDS);
    const body: ImageInputT = pick<ImageInputT>(image, IMAGE_FIELDS);
    changes.push(compare('image', image, currentImages[i], desired, body, (current): ImageInputT => pick(current, IMAGE_FIELDS)));
  }
  for (const deployment of file.deployments) {
    const nodes = await Promise.all(
      (deployment.nodes ?? []).map(async (node, i) => ({
        ...node,
        image: await resolve(node.image, deployment.project, `deployments.${pathOf(deployment)}.nodes[${i}].image`),
      })),
    );
    const current = await client.find<DeploymentT>(`/deployments/${seg(pathOf(deployment))}`);
    changes.push(compare('deployment', deployment, current, deploymentFields({ ...deployment, nodes }), deploymentFields(deployment), deploymentFields));
    if (current) deploymentNames.set(current.id, pathOf(current));
  }
  if (file.products.length) changes.push(...(await planProducts(client, file, changes, deploymentNames, problems)));
  for (const [id, path] of deploymentNames) imageNames.set(id, path);
  if (problems.length) throw new UsageError(`Nothing was changed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { changes, imageNames };
}

/**
 * The products' changes, after the deployments': a product's deployment resolved as the API will (the file's own
 * deployments included), and without `deploymentVersion` in the file it pins the deployment's latest version once
 * this apply is done (so a product follows its deployment's changes).
 */
async function planProducts(
  client: SlipwayClient,
  file: AppFile,
  changes: readonly Change[],
  deploymentNames: Map<string, string>,
  problems: string[],
): Promise<ProductChange[]> {
  /** Deployment paths → id and the version it will have after this apply. */
  const target = new Map<string, { id: string; version: number } | undefined>();
  for (const change of changes) {
    if (change.kind !== 'deployment') continue;
    const version = !change.current ? 1 : change.action === 'update' ? change.current.version + 1 : change.current.version;
    target.set(change.path, { id: change.current?.id ?? newRef(change.path), version });
  }
  const resolve = referenceResolver<{ id: string; version: number }, DeploymentT>({
    client,
    what: 'deployment',
    idPrefix: 'dep_',
    known: target,
    valueOf: (found) => ({ id: found.id, version: found.version }),
    names: deploymentNames,
    problems,
    missing: (ref) => ({ id: ref, version: 0 }),
  });
  const planned: ProductChange[] = [];
  for (const product of file.products) {
    const where = `products.${pathOf(product)}`;
    if (typeof product.deployment !== 'string' || typeof product.connector !== 'string') {
      problems.push(`${where}: a product needs deployment: and connector:`);
      continue;
    }
    const deployment = await resolve(product.deployment, product.project, `${where}.deployment`);
    const plans = filePlans(product.plans, where) as ProductInputT['plans'];
    const credential = product.credential ?? (await ownCredential(client, product.connector));
    const body = productFields({ ...product, plans, credential });
    const desired = productFields({ ...body, deployment: deployment.id, deploymentVersion: product.deploymentVersion ?? deployment.version });
    const current = await client.find<ProductT>(`/products/${seg(pathOf(product))}`);
    planned.push(compare('product', product, current, desired, body, productFields));
  }
  return planned;
}

function compare<K extends Change['kind'], C extends { version: number }, D extends object>(
  kind: K,
  item: { name: string; project?: string },
  current: C | undefined,
  desired: D,
  body: D,
  fieldsOf: (current: C) => D,
): ChangeOf<K, C, D> {
  const where = { kind, name: item.name, ...(item.project ? { project: item.project } : {}), path: pathOf(item) };
  if (!current) return { ...where, action: 'create', desired, body, diff: fieldDiff({}, desired) };
  const now = fieldsOf(current);
  return { ...where, action: equal(now, desired) ? 'unchanged' : 'update', current, desired, body, diff: fieldDiff(now, desired) };
}
