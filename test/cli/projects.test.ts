/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output is asserted field by field */
/**
 * Projects from the command line, against the local stack: `apply --project` (and
 * a file's `project:`, the flag winning, an item's own `project:` kept) puts what
 * a file declares in a project and matches what exists by path, not by bare name;
 * references are sent as written and the API resolves a bare name in the project
 * first, then at the top level; `images|deployments|products --project P
 * [--subprojects]` list one project (or a subtree); `projects` lists the paths
 * with their counts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { cleanEnv, cli, json, type CliResult } from './support/cli';

let stack: LocalStack;
let admin: Record<string, string>;
let acme: Record<string, string>;

/** Top-level images another project's file refers to by bare name. */
const BASE = `
images:
  - name: ubuntu
    cloudImageIds: { sim-eu: sim-ubuntu-22.04 }
  - name: mysql
    parent: ubuntu
`;

/** The shop's back end: its project from the file (shop/frontend), overridden by --project in the tests; cache says its own. */
const SHOP = `
project: shop/frontend
images:
  - name: mysql
    parent: ubuntu
    outputs: [hostname]
  - name: cache
    project: shop/shared
    parent: ubuntu
deployments:
  - name: site
    nodes:
      - name: db
        image: mysql
      - name: cache
        image: shop/shared/cache
`;

const ok = (result: CliResult) => {
  if (result.code !== 0) throw new Error(`exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
};

function appFile(name: string, text: string): string {
  const file = join(acme.HOME!, name);
  writeFileSync(file, text);
  return file;
}

const paths = (items: any[]) => items.map((i) => (i.project ? `${i.project}/${i.name}` : i.name)).sort();

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  admin = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: stack.adminKey });
  const made = json(ok(await cli(['users', 'create', 'acme', '--role', 'vendor', '-o', 'json'], admin)));
  acme = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: made.apiKey });
  ok(await cli(['connectors', 'create', 'sim-eu', '--kind', 'sim', '--default-quota', '10', '--max-workers', '2', '--setting', 'bootSeconds=1'], admin));
  ok(await cli(['credentials', 'create', '--connector', 'sim-eu', '--secret', 'apiKey=demo', '--secret', 'apiSecret=s3cret'], acme));
  ok(await cli(['apply', '-f', appFile('base.yaml', BASE), '--yes'], acme));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('apply with projects', () => {
  it('refuses a --project or project: that is not a project path, changing nothing (exit 2)', async () => {
    const flag = await cli(['apply', '-f', appFile('shop.yaml', SHOP), '--project', 'Shop//x', '--yes'], acme);
    const key = await cli(['apply', '-f', appFile('bad.yaml', 'project: [a]\nimages:\n  - name: x\n    parent: ubuntu\n'), '--yes'], acme);

    expect([flag.code, key.code]).toEqual([EXIT.usage, EXIT.usage]);
    expect(flag.stderr).toContain('--project "Shop//x" is not a project path');
    expect(key.stderr).toContain('project: must be a project path');
    expect(json(ok(await cli(['images', '-o', 'json'], acme))).map((i: any) => i.name)).toEqual(expect.not.arrayContaining(['cache', 'x']));
  });

  it('plans creates by path: shop/backend/mysql is new although a top-level mysql exists; --project wins over the file, an item’s own project stays', async () => {
    const result = ok(await cli(['apply', '-f', appFile('shop.yaml', SHOP), '--project', 'shop/backend', '--dry-run'], acme));
    const plan = json(ok(await cli(['apply', '-f', appFile('shop.yaml', SHOP), '--project', 'shop/backend', '--dry-run', '-o', 'json'], acme)));

    expect(result.stdout).toContain('Plan: 3 to create, 0 to update, 0 unchanged.');
    expect(result.stdout).toContain('  + image shop/backend/mysql\n');
    expect(result.stdout).toContain('  + image shop/shared/cache\n');
    expect(result.stdout).toContain('  + deployment shop/backend/site\n');
    expect(result.stdout).toMatch(/^ {6}parent: ubuntu$/m);
    expect(result.stdout).toContain('      nodes[0].image: shop/backend/mysql (new)');
    expect(result.stdout).not.toContain('shop/frontend');
    expect(plan.changes.map((c: any) => [c.kind, c.project, c.name, c.path, c.action])).toEqual([
      ['image', 'shop/backend', 'mysql', 'shop/backend/mysql', 'create'],
      ['image', 'shop/shared', 'cache', 'shop/shared/cache', 'create'],
      ['deployment', 'shop/backend', 'site', 'shop/backend/site', 'create'],
    ]);
  });

  it('creates them there; the API resolves the bare names as the plan did (project first, then the top level)', async () => {
    const applied = json(ok(await cli(['apply', '-f', appFile('shop.yaml', SHOP), '--project', 'shop/backend', '--yes', '-o', 'json'], acme)));

    expect(applied.applied.map((a: any) => `${a.action} ${a.kind} ${a.project}/${a.name} v${a.version}`)).toEqual([
      'create image shop/backend/mysql v1',
      'create image shop/shared/cache v1',
      'create deployment shop/backend/site v1',
    ]);
    const ubuntu = json(ok(await cli(['images', 'show', 'ubuntu', '-o', 'json'], acme)));
    const topMysql = json(ok(await cli(['images', 'show', 'mysql', '-o', 'json'], acme)));
    const shopMysql = json(ok(await cli(['images', 'show', 'shop/backend/mysql', '-o', 'json'], acme)));
    const cache = json(ok(await cli(['images', 'show', 'shop/shared/cache', '-o', 'json'], acme)));
    const site = json(ok(await cli(['deployments', 'show', 'shop/backend/site', '-o', 'json'], acme)));
    expect(shopMysql).toMatchObject({ project: 'shop/backend', name: 'mysql', parent: ubuntu.id, outputs: ['hostname'] });
    expect(shopMysql.id).not.toBe(topMysql.id);
    expect(topMysql.version).toBe(1);
    expect(topMysql.outputs ?? []).toEqual([]);
    expect(cache).toMatchObject({ project: 'shop/shared', parent: ubuntu.id });
    expect(site.project).toBe('shop/backend');
    expect(site.nodes.map((n: any) => n.image)).toEqual([shopMysql.id, cache.id]);
  });

  it('finds nothing to change when applied again, and a change gives only the project’s resource a new version', async () => {
    const again = ok(await cli(['apply', '-f', appFile('shop.yaml', SHOP), '--project', 'shop/backend', '--yes'], acme));
    const changed = SHOP.replace('outputs: [hostname]', 'outputs: [hostname, port]');
    const plan = ok(await cli(['apply', '-f', appFile('changed.yaml', changed), '--project', 'shop/backend', '--yes'], acme)).stdout;

    expect(again.stdout).toContain('Plan: 0 to create, 0 to update, 3 unchanged.');
    expect(plan).toContain('  ~ image shop/backend/mysql  (version 1 → 2)\n    + outputs[1]: "port"\n');
    expect(plan).toMatch(/^image\s+shop\/backend\/mysql\s+updated\s+img_\w+\s+2$/m);
    expect(json(ok(await cli(['images', 'show', 'shop/backend/mysql', '-o', 'json'], acme))).version).toBe(2);
    expect(json(ok(await cli(['images', 'versions', 'mysql', '-o', 'json'], acme)))).toHaveLength(1);
  });

  it('takes the file’s project: without --project', async () => {
    const result = json(
      ok(
        await cli(['apply', '-f', appFile('front.yaml', 'project: shop/frontend\nimages:\n  - name: web\n    parent: ubuntu\n'), '--yes', '-o', 'json'], acme),
      ),
    );

    expect(result.applied).toMatchObject([{ kind: 'image', project: 'shop/frontend', name: 'web', action: 'create' }]);
    expect(json(ok(await cli(['images', 'show', 'shop/frontend/web', '-o', 'json'], acme))).project).toBe('shop/frontend');
  });
});

describe('apply with products in a project', () => {
  const PRODUCTS = `
project: shop/backend
products:
  - name: bundle
    deployment: site
    connector: sim-eu
    plans:
      - name: basic
        monthlyFee: 5.00 EUR
        vmHourPrice: 0.01 EUR
`;

  it('creates a product whose bare deployment name means the project’s, pinned to its latest version, the vendor’s credential found', async () => {
    const plan = ok(await cli(['apply', '-f', appFile('products.yaml', PRODUCTS), '--dry-run'], acme)).stdout;
    const applied = json(ok(await cli(['apply', '-f', appFile('products.yaml', PRODUCTS), '--yes', '-o', 'json'], acme)));

    const site = json(ok(await cli(['deployments', 'show', 'shop/backend/site', '-o', 'json'], acme)));
    const credential = json(ok(await cli(['credentials', '-o', 'json'], acme)))[0].id;
    const bundle = json(ok(await cli(['products', 'show', 'shop/backend/bundle', '-o', 'json'], acme)));
    expect(plan).toContain('  + product shop/backend/bundle\n');
    expect(plan).toContain('      deployment: shop/backend/site\n');
    expect(applied.applied).toMatchObject([{ kind: 'product', project: 'shop/backend', name: 'bundle', action: 'create', version: 1 }]);
    expect(bundle).toMatchObject({ project: 'shop/backend', deployment: site.id, deploymentVersion: site.version, credential, state: 'draft' });
    expect(bundle.plans).toEqual([{ name: 'basic', monthlyFee: { amount: 500, currency: 'EUR' }, vmHourPrice: { amount: 1, currency: 'EUR' } }]);
  });

  it('finds the product unchanged when applied again, and updates it when a plan changes', async () => {
    const again = ok(await cli(['apply', '-f', appFile('products.yaml', PRODUCTS), '--yes'], acme)).stdout;
    const changed = ok(await cli(['apply', '-f', appFile('products2.yaml', PRODUCTS.replace('5.00 EUR', '6.00 EUR')), '--yes'], acme)).stdout;

    expect(again).toContain('Plan: 0 to create, 0 to update, 1 unchanged.');
    expect(changed).toContain('  ~ product shop/backend/bundle  (version 1 → 2)\n    ~ plans[0].monthlyFee.amount: 500 → 600\n');
    expect(json(ok(await cli(['products', 'show', 'shop/backend/bundle', '-o', 'json'], acme))).version).toBe(2);
  });
});

describe('lists by project', () => {
  it('lists one project, a subtree, or the top level (images --project P [--subprojects], --project /)', async () => {
    const backend = json(ok(await cli(['images', '--project', 'shop/backend', '-o', 'json'], acme)));
    const shop = json(ok(await cli(['images', 'list', '--project', 'shop', '--subprojects', '-o', 'json'], acme)));
    const top = json(ok(await cli(['images', '--project', '/', '-o', 'json'], acme)));
    const all = json(ok(await cli(['images', '-o', 'json'], acme)));
    const table = ok(await cli(['images', '--project', 'shop', '--subprojects'], acme)).stdout;

    expect(paths(backend)).toEqual(['shop/backend/mysql']);
    expect(paths(shop)).toEqual(['shop/backend/mysql', 'shop/frontend/web', 'shop/shared/cache']);
    expect(paths(top)).toEqual(['mysql', 'ubuntu']);
    expect(all).toHaveLength(5);
    // The parent by its path, though it is in no listed project.
    expect(table).toMatch(/^shop\/backend\/mysql\s+img_\w+\s+2\s+\S+ \S+\s+ubuntu\s+-$/m);
  });

  it('lists deployments of a project, and refuses --subprojects without --project (exit 2)', async () => {
    const backend = json(ok(await cli(['deployments', '--project', 'shop/backend', '-o', 'json'], acme)));
    const empty = ok(await cli(['deployments', '--project', 'shop/frontend'], acme)).stdout;
    const bare = await cli(['deployments', '--subprojects'], acme);

    expect(paths(backend)).toEqual(['shop/backend/site']);
    expect(empty.trim()).toBe('Nothing to show.');
    expect(bare.code).toBe(EXIT.usage);
    expect(bare.stderr).toContain('--subprojects lists what is below a --project');
  });

  it('creates a product in a project (its bare deployment name found there) and lists products by project', async () => {
    const site = json(ok(await cli(['deployments', 'show', 'shop/backend/site', '-o', 'json'], acme)));

    const made = json(
      ok(
        await cli(
          [
            'products',
            'create',
            'hosting',
            '--project',
            'shop/backend',
            '--deployment',
            'site',
            '--connector',
            'sim-eu',
            '--plan',
            'name=basic,monthly=10.00EUR,vm-hour=0.01EUR',
            '-o',
            'json',
          ],
          acme,
        ),
      ),
    );
    const listed = json(ok(await cli(['products', '--project', 'shop/backend', '-o', 'json'], acme)));
    const top = json(ok(await cli(['products', '--project', '/', '-o', 'json'], acme)));
    const shown = json(ok(await cli(['products', 'show', 'shop/backend/hosting', '-o', 'json'], acme)));

    expect(made).toMatchObject({ project: 'shop/backend', name: 'hosting', deployment: site.id });
    expect(paths(listed)).toEqual(['shop/backend/bundle', 'shop/backend/hosting']);
    expect(top).toEqual([]);
    expect(shown.id).toBe(made.id);
  });

  it('lists the projects that hold something with their direct counts (slipway projects)', async () => {
    const table = ok(await cli(['projects'], acme)).stdout;
    const list = json(ok(await cli(['projects', '-o', 'json'], acme)));

    expect(list).toEqual([
      { path: 'shop/backend', images: 1, deployments: 1, products: 2 },
      { path: 'shop/frontend', images: 1, deployments: 0, products: 0 },
      { path: 'shop/shared', images: 1, deployments: 0, products: 0 },
    ]);
    expect(table.split('\n')[0]).toMatch(/^PATH\s+IMAGES\s+DEPLOYMENTS\s+PRODUCTS$/);
    expect(table).toMatch(/^shop\/backend\s+1\s+1\s+2$/m);
  });

  it('says there are none for a user without projects', async () => {
    const made = json(ok(await cli(['users', 'create', 'nobody', '-o', 'json'], admin)));

    const result = ok(await cli(['projects'], { ...acme, SLIPWAY_API_KEY: made.apiKey }));

    expect(result.stdout).toContain('No projects');
  });
});

describe('the README’s live-run walk-through (examples/shop.yaml)', () => {
  it('applies the shop into its projects, runs it, scales api 2 → 3 (the balancer’s backends follow), migrates it to sim-us and builds its mysql', async () => {
    const made = json(ok(await cli(['users', 'create', 'walker', '-o', 'json'], admin)));
    const walker = { ...acme, SLIPWAY_API_KEY: made.apiKey };
    ok(await cli(['connectors', 'create', 'sim-us', '--kind', 'sim', '--default-quota', '10', '--max-workers', '2', '--setting', 'bootSeconds=1'], admin));
    for (const connector of ['sim-eu', 'sim-us'])
      ok(await cli(['credentials', 'create', '--connector', connector, '--secret', 'apiKey=demo', '--secret', 'apiSecret=s3cret'], walker));
    ok(await cli(['apply', '-f', 'examples/wordpress.yaml', '--yes'], walker));

    ok(await cli(['apply', '-f', 'examples/shop.yaml', '--yes'], walker));
    const run = json(ok(await cli(['run', 'shop/backend/shop', '--connector', 'sim-eu', '--wait', '-o', 'json'], walker)));
    const scaled = json(ok(await cli(['scale', run.id, 'api=3', '--wait', '-o', 'json'], walker)));

    expect(json(ok(await cli(['projects', '-o', 'json'], walker)))).toEqual([
      { path: 'shop/backend', images: 3, deployments: 1, products: 0 },
      { path: 'shop/edge', images: 1, deployments: 0, products: 0 },
    ]);
    const hostsOf = (r: any) => r.instances.find((i: any) => i.name === 'lb.1').parameters.backends.split(',');
    expect(hostsOf(run)).toHaveLength(2);
    expect(scaled.state).toBe('Ready');
    expect(hostsOf(scaled)).toHaveLength(3);
    expect(scaled.instances.filter((i: any) => i.node === 'api' && i.state !== 'terminated').map((i: any) => i.name)).toEqual(['api.1', 'api.2', 'api.3']);

    const moved = json(ok(await cli(['migrate', run.id, '--connector', 'sim-us', '--wait', '-o', 'json'], walker)));
    const old = json(ok(await cli(['show', run.id, '-o', 'json'], walker)));
    expect(moved).toMatchObject({ state: 'Ready', migratedFrom: run.id });
    expect(old).toMatchObject({ state: 'Done', migratedTo: moved.id });
    expect(new Set(moved.instances.map((i: any) => i.connector))).toEqual(new Set(['sim-us']));
    expect(hostsOf(moved)).toHaveLength(3);

    const built = await cli(['build', 'shop/backend/mysql', '-c', 'sim-eu', '--wait'], walker);
    expect(built.code, built.stderr).toBe(0);
    const [build] = json(ok(await cli(['builds', '--image', 'shop/backend/mysql', '-o', 'json'], walker)));
    expect(build).toMatchObject({ connector: 'sim-eu', state: 'Succeeded', newImageVersion: 2 });
    ok(await cli(['terminate', moved.id, '--wait'], walker));
  }, 240_000);
});
