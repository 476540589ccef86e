/**
 * The file `slipway apply -f` reads: YAML with top-level `images:` and
 * `deployments:`, each a list of objects with the API's own fields, referring to
 * each other by name. Checked for shape here; the API checks every field.
 */
import { parseDocument } from 'yaml';
import type { DeploymentInputT, ImageInputT } from '../api-types';
import { UsageError } from '../exit-codes';

export interface AppFile {
  images: ImageInputT[];
  deployments: DeploymentInputT[];
}

const SECTIONS = ['images', 'deployments'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The resources declared in `text` (from `source`, for messages).
 * @throws UsageError listing every problem of shape: not YAML, unknown sections, items without a name, duplicate names
 */
export function parseAppFile(text: string, source: string): AppFile {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length) throw new UsageError(`${source} is not valid YAML:\n${document.errors.map((e) => `  ${e.message.split('\n')[0]}`).join('\n')}`);
  const root: unknown = document.toJS() ?? {};
  const problems: string[] = [];
  if (!isObject(root)) throw new UsageError(`${source}: expected a mapping with images: and deployments:`);
  for (const key of Object.keys(root))
    if (!(SECTIONS as readonly string[]).includes(key)) problems.push(`${key}: unknown section (expected images: and deployments:)`);
  const section = (key: (typeof SECTIONS)[number]) => {
    const value = root[key] ?? [];
    if (!Array.isArray(value)) {
      problems.push(`${key}: must be a list`);
      return [];
    }
    const names = new Set<string>();
    value.forEach((item: unknown, i) => {
      if (!isObject(item)) return problems.push(`${key}[${i}]: must be a mapping of the API's fields`);
      if (typeof item.name !== 'string' || !item.name) return problems.push(`${key}[${i}].name: required`);
      if (names.has(item.name)) problems.push(`${key}[${i}].name: "${item.name}" is declared twice`);
      if ('version' in item || 'id' in item) problems.push(`${key}[${i}]: leave out id and version (apply finds them by name)`);
      names.add(item.name);
    });
    return value as never[];
  };
  const file = { images: section('images'), deployments: section('deployments') };
  if (problems.length) throw new UsageError(`${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  if (!file.images.length && !file.deployments.length) throw new UsageError(`${source} declares no images and no deployments`);
  return file;
}
