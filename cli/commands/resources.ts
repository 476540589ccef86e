/** `images` and `deployments`: list, show (any version), versions, delete. `apply` creates and changes them. */
import type { Command } from 'commander';
import type { DeploymentT, ImageT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { contextOf } from '../context';
import { UsageError } from '../exit-codes';
import { pathOf, projectQuery, withProjectOptions, type ProjectOptions } from '../projects';
import { cell, fields, table, type Column } from '../render';

/** An image id → "path (id)" where the caller's own images name it. */
type ImageNames = (id: string) => string;

async function imageNames(client: SlipwayClient): Promise<ImageNames> {
  const images = await client.listAll<ImageT>('/images').catch(() => []);
  const names = new Map(images.map((image) => [image.id, pathOf(image)]));
  return (id) => (names.has(id) ? `${names.get(id)} (${id})` : id);
}

interface Versioned {
  id: string;
  name: string;
  project?: string;
  owner: string;
  version: number;
  updatedAt: string;
}

const COMMON: Column<Versioned>[] = [
  // The path: the name, after its project's path when it is in one.
  { header: 'name', value: (r) => pathOf(r) },
  { header: 'id', value: (r) => r.id },
  { header: 'version', value: (r) => r.version },
  { header: 'updated', value: (r) => r.updatedAt.slice(0, 19).replace('T', ' ') },
];

const RESOURCES = {
  images: {
    description: 'Images: native ids per cloud, parent, recipe, inputs and outputs',
    columns: [
      ...COMMON,
      { header: 'parent', value: (r) => (r as ImageT).parent },
      { header: 'clouds', value: (r) => Object.keys((r as ImageT).cloudImageIds ?? {}) },
    ],
    detail: (r: Versioned, names: ImageNames) => {
      const image = r as ImageT;
      return fields(Object.entries(image.parent ? { ...image, parent: names(image.parent) } : image));
    },
  },
  deployments: {
    description: 'Deployments: nodes, their images and the inputs they take from each other',
    columns: [...COMMON, { header: 'nodes', value: (r) => (r as DeploymentT).nodes.map((n) => `${n.name}×${n.multiplicity}`) }],
    detail: (r: Versioned, names: ImageNames) => {
      const { nodes, ...rest } = r as DeploymentT;
      return `${fields(Object.entries(rest))}\n\n${table(nodes, [
        { header: 'node', value: (n) => n.name },
        { header: 'image', value: (n) => names(n.image) },
        { header: 'count', value: (n) => n.multiplicity },
        { header: 'connector', value: (n) => n.connector },
        { header: 'instance type', value: (n) => n.instanceType },
        { header: 'inputs', value: (n) => cell(n.inputs) },
      ])}`;
    },
  },
} as const satisfies Record<string, { description: string; columns: Column<Versioned>[]; detail: (r: Versioned, names: ImageNames) => string }>;

export function registerResources(program: Command): void {
  for (const [path, spec] of Object.entries(RESOURCES)) {
    const group = program.command(path).description(`${spec.description} (create or change them with slipway apply)`);
    withProjectOptions(group.command('list', { isDefault: true }).description(`your ${path} (an admin: everyone's), all of them or one project's`)).action(
      async (options: ProjectOptions, command: Command) => {
        const ctx = contextOf(command);
        const client = ctx.client();
        const items = await client.listAll<Versioned>(`/${path}`, projectQuery(options));
        // Images name their parent by id: show its path where the caller's images have it (a parent may be in another project).
        const parents = path === 'images' && ctx.out.format === 'table' && options.project !== undefined ? await client.listAll<Versioned>('/images') : items;
        const names = new Map(parents.map((i) => [i.id, pathOf(i)]));
        const shown = items.map((i) => ('parent' in i && typeof i.parent === 'string' ? { ...i, parent: names.get(i.parent) ?? i.parent } : i));
        ctx.out.list(ctx.out.format === 'json' ? items : shown, spec.columns);
      },
    );
    group
      .command('show')
      .argument('<name>', 'path (project/name), name or id')
      .option('--at <version>', 'an older version, by number (slipway ' + path + ' versions <name>)')
      .action(async (name: string, options: { at?: string }, command: Command) => {
        const ctx = contextOf(command);
        if (options.at && !/^\d+$/.test(options.at)) throw new UsageError(`--at ${options.at}: a version number`);
        const client = ctx.client();
        const found = await client.get<Versioned>(`/${path}/${seg(name)}`, { version: options.at });
        const names = ctx.out.format === 'table' ? await imageNames(client) : (id: string) => id;
        ctx.out.result(found, (r) => spec.detail(r, names));
      });
    group
      .command('versions')
      .argument('<name>', 'name or id')
      .description('every version, oldest first')
      .action(async (name: string, _options, command: Command) => {
        const ctx = contextOf(command);
        ctx.out.list(await ctx.client().listAll<Versioned>(`/${path}/${seg(name)}/versions`), spec.columns);
      });
    group
      .command('delete')
      .argument('<name>', 'name or id')
      .action(async (name: string, _options, command: Command) => {
        const ctx = contextOf(command);
        await ctx.client().delete(`/${path}/${seg(name)}`);
        ctx.out.result({ deleted: name }, () => `Deleted ${path.slice(0, -1)} ${name}.`);
      });
  }
}
