/**
 * The file `slipway apply -f` reads: YAML with top-level `images:`,
 * `deployments:` and `products:`, each a list of objects with the API's own
 * fields, referring to each other by name (a product's money may be written
 * "19.00 EUR", its credential left out when the vendor has one on the
 * connector), and optionally `project:`, the project of every item that
 * names none itself (`apply --project` overrides it). Checked for shape here; the
 * API checks every field.
 */
import { parseDocument } from 'yaml';
import type { DeploymentInputT, ImageInputT, ProductInputT } from '../api-types';
import { UsageError } from '../exit-codes';
import { pathOf } from '../projects';

/** A product as a file declares it: money may be "19.00 EUR", the credential may be left out (the vendor's only one on the connector). */
export type ProductItem = Omit<ProductInputT, 'credential' | 'plans'> & { credential?: string; plans: unknown };

export interface AppFile {
  images: ImageInputT[];
  deployments: DeploymentInputT[];
  products: ProductItem[];
}

const SECTIONS = ['images', 'deployments', 'products'] as const;
const KEYS: readonly string[] = [...SECTIONS, 'project'];

const SEGMENT = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

/** What is wrong with a project path (`shop/backend`: 1–8 names joined by "/", at most 128 characters), or undefined. */
export function projectProblem(path: string): string | undefined {
  const segments = path.split('/');
  if (path.length > 128 || segments.length > 8 || !segments.every((s) => SEGMENT.test(s) && s.length <= 64)) {
    return `"${path}" is not a project path: 1 to 8 names joined by "/" (lower-case letters, digits, ".", "_", "-"), at most 128 characters, e.g. shop/backend`;
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The resources declared in `text` (from `source`, for messages).
 * @throws UsageError listing every problem of shape: not YAML, unknown sections, items without a name, duplicate names
 */
export function parseAppFile(text: string, source: string, options: { project?: string } = {}): AppFile {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length) throw new UsageError(`${source} is not valid YAML:\n${document.errors.map((e) => `  ${e.message.split('\n')[0]}`).join('\n')}`);
  const root: unknown = document.toJS() ?? {};
  const problems: string[] = [];
  if (!isObject(root)) throw new UsageError(`${source}: expected a mapping with images: and deployments:`);
  for (const key of Object.keys(root))
    if (!KEYS.includes(key)) problems.push(`${key}: unknown section (expected images:, deployments:, products: and project:)`);
  if (options.project !== undefined && projectProblem(options.project)) throw new UsageError(`--project ${projectProblem(options.project)}`);
  if (root.project !== undefined && typeof root.project !== 'string') problems.push('project: must be a project path, e.g. shop/backend');
  else if (typeof root.project === 'string' && projectProblem(root.project)) problems.push(`project: ${projectProblem(root.project)}`);
  /** The project of every item that names none: the flag's, else the file's. */
  const project = options.project ?? (typeof root.project === 'string' ? root.project : undefined);
  const section = (key: (typeof SECTIONS)[number]) => {
    const value = root[key] ?? [];
    if (!Array.isArray(value)) {
      problems.push(`${key}: must be a list`);
      return [];
    }
    const paths = new Set<string>();
    return value.map((item: unknown, i) => {
      if (!isObject(item)) return problems.push(`${key}[${i}]: must be a mapping of the API's fields`);
      if (typeof item.name !== 'string' || !item.name) return problems.push(`${key}[${i}].name: required`);
      if (item.project !== undefined && (typeof item.project !== 'string' || projectProblem(item.project))) {
        problems.push(`${key}[${i}].project: ${typeof item.project === 'string' ? projectProblem(item.project) : 'must be a project path, e.g. shop/backend'}`);
      }
      const placed = item.project === undefined && project ? { ...item, project } : item;
      const path = pathOf(placed as { project?: string; name: string });
      if (paths.has(path)) problems.push(`${key}[${i}].name: "${path}" is declared twice`);
      if ('version' in item || 'id' in item) problems.push(`${key}[${i}]: leave out id and version (apply finds them by path)`);
      paths.add(path);
      return placed;
    }) as never[];
  };
  const file = { images: section('images'), deployments: section('deployments'), products: section('products') };
  if (problems.length) throw new UsageError(`${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  if (!file.images.length && !file.deployments.length && !file.products.length) throw new UsageError(`${source} declares no images, deployments or products`);
  return file;
}
