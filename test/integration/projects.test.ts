/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP bodies are asserted field by field */
/**
 * Projects end to end over HTTP on the local stack: images, deployments and products
 * live in projects (`shop/backend`); names are unique within one owner's project;
 * references take an id, a path, or a bare name (the referring resource's project
 * first, then the top level); listings filter with `?project=` (`/` the top level,
 * `subprojects=true` the subtree); `GET /v1/projects` counts what each holds, through
 * creates, moves and deletes; every refusal changes nothing; another user sees none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let alice: { id: string; key: string };
let bob: { id: string; key: string };
let vendor: { id: string; key: string };
const SIM = 'sim-projects';
const secrets = { apiKey: 'demo', apiSecret: 'not-a-secret' };
const ids: Record<string, string> = {};

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

/** `/images/shop%2Fbackend%2Fmysql`: a path in a URL's path segment. */
const at = (collection: string, path: string) => `/${collection}/${encodeURIComponent(path)}`;

/** Every item of a listing, following its cursors (`limit` small, so paging is exercised). */
async function listAll(path: string, key: string, limit = 2): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: any = await must(api.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key));
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const pathsOf = (items: any[]) => items.map((i) => (i.project ? `${i.project}/${i.name}` : i.name)).sort();

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 60_000 });
  api = apiClient(stack.apiUrl);
  await createSimConnector(api, stack.adminKey, SIM);
  alice = await createUser(api, stack.adminKey, 'alice');
  bob = await createUser(api, stack.adminKey, 'bob');
  const v = await must(api.post('/users', stack.adminKey, { name: 'vendor', role: 'vendor' }));
  vendor = { id: v.id, key: v.apiKey };
  await must(api.post('/credentials', alice.key, { connector: SIM, secrets }));
  ids.ubuntu = (await must(api.post('/images', alice.key, { name: 'ubuntu', cloudImageIds: { [SIM]: 'sim-ubuntu-22.04' } }))).id;
  ids.mysql = (await must(api.post('/images', alice.key, { name: 'mysql', parent: 'ubuntu', outputs: ['hostname'] }))).id;
});

afterAll(async () => {
  await stack?.stop();
});

describe('names are unique within a project', () => {
  it('lets the same name live at the top level and in a project, and resolves a bare parent name within the project first', async () => {
    // Act: shop/backend/mysql descends from the top level's ubuntu (there is none in the project)
    const inProject = await must(api.post('/images', alice.key, { name: 'mysql', project: 'shop/backend', parent: 'ubuntu', outputs: ['hostname'] }));
    const child = await must(api.post('/images', alice.key, { name: 'mysql-tuned', project: 'shop/backend', parent: 'mysql' }));
    // Assess
    ids.backendMysql = inProject.id;
    ids.tuned = child.id;
    expect(inProject).toMatchObject({ project: 'shop/backend', name: 'mysql', parent: ids.ubuntu });
    expect(inProject.id).not.toBe(ids.mysql);
    expect(child.parent).toBe(ids.backendMysql);
  });

  it('refuses a second image of the same name in the same project (409), and writes nothing', async () => {
    // Arrange
    const before = await listAll('/images', alice.key);
    // Act
    const reply = await api.post('/images', alice.key, { name: 'mysql', project: 'shop/backend' });
    // Assess
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toContain('exists already in project shop/backend');
    expect(await listAll('/images', alice.key)).toEqual(before);
  });

  it('reads a resource by its path (URL-encoded), by its name at the top level, and by id', async () => {
    // Act
    const byPath = await must(api.get(at('images', 'shop/backend/mysql'), alice.key));
    const byName = await must(api.get('/images/mysql', alice.key));
    const byId = await must(api.get(`/images/${ids.backendMysql}`, alice.key));
    // Assess
    expect(byPath.id).toBe(ids.backendMysql);
    expect(byName.id).toBe(ids.mysql);
    expect(byId.project).toBe('shop/backend');
  });

  it('resolves a deployment’s bare node images within its project, then at the top level; a path from anywhere', async () => {
    // Act
    const site = await must(
      api.post('/deployments', alice.key, {
        name: 'site',
        project: 'shop',
        nodes: [
          { name: 'db', image: 'shop/backend/mysql' },
          { name: 'os', image: 'ubuntu' },
        ],
      }),
    );
    const backend = await must(api.post('/deployments', alice.key, { name: 'site', project: 'shop/backend', nodes: [{ name: 'db', image: 'mysql' }] }));
    const top = await must(api.post('/deployments', alice.key, { name: 'site', nodes: [{ name: 'db', image: 'mysql' }] }));
    // Assess
    ids.shopSite = site.id;
    ids.backendSite = backend.id;
    ids.topSite = top.id;
    expect(site.nodes.map((n: any) => n.image)).toEqual([ids.backendMysql, ids.ubuntu]);
    expect(backend.nodes[0].image).toBe(ids.backendMysql);
    expect(top.nodes[0].image).toBe(ids.mysql);
  });

  it('names an image a bare name cannot reach as a 400 on the node', async () => {
    // Act: mysql-tuned lives in shop/backend only, so a top-level deployment cannot name it bare
    const reply = await api.post('/deployments', alice.key, { name: 'tuned', nodes: [{ name: 'db', image: 'mysql-tuned' }] });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([expect.objectContaining({ path: 'body.nodes.0.image' })]);
  });

  it('launches (plans) a run of a deployment named by its path', async () => {
    // Act
    const plan = await must(api.post('/runs?dryRun=true', alice.key, { deployment: 'shop/backend/site', connector: SIM }));
    // Assess
    expect(plan.deployment).toBe(ids.backendSite);
    expect(plan.nodes.map((n: any) => [n.node, n.imageId, n.images.map((i: any) => i.id)])).toEqual([
      ['db', 'sim-ubuntu-22.04', [ids.backendMysql, ids.ubuntu]],
    ]);
  });
});

describe('listing with ?project=', () => {
  it('lists exactly one project, the top level (/), or a project and everything below it, across pages', async () => {
    // Act
    const backend = await listAll('/images?project=shop/backend', alice.key, 1);
    const topLevel = await listAll('/images?project=/', alice.key, 1);
    const shop = await listAll('/deployments?project=shop', alice.key, 1);
    const shopTree = await listAll('/deployments?project=shop&subprojects=true', alice.key, 1);
    const everything = await listAll('/deployments', alice.key, 1);
    // Assess
    expect(pathsOf(backend)).toEqual(['shop/backend/mysql', 'shop/backend/mysql-tuned']);
    expect(pathsOf(topLevel)).toEqual(['mysql', 'ubuntu']);
    expect(pathsOf(shop)).toEqual(['shop/site']);
    expect(pathsOf(shopTree)).toEqual(['shop/backend/site', 'shop/site']);
    expect(pathsOf(everything)).toEqual(['shop/backend/site', 'shop/site', 'site']);
  });

  it('does not treat a project as a prefix of another (shop is not shopping)', async () => {
    // Arrange
    await must(api.post('/images', alice.key, { name: 'cart', project: 'shopping', parent: 'ubuntu' }));
    // Act
    const shopTree = await listAll('/images?project=shop&subprojects=true', alice.key);
    // Assess
    expect(pathsOf(shopTree)).not.toContain('shopping/cart');
    expect(pathsOf(await listAll('/images?project=shopping', alice.key))).toEqual(['shopping/cart']);
  });

  it('refuses a malformed project with 400 naming query.project', async () => {
    for (const bad of ['Shop', 'shop//backend', 'shop/', '/shop', 'a/b/c/d/e/f/g/h/i', 'shop backend']) {
      // Act
      const reply = await api.get(`/images?project=${encodeURIComponent(bad)}`, alice.key);
      // Assess
      expect(reply.status, bad).toBe(400);
      expect(reply.body.errors[0].path, bad).toBe('query.project');
    }
  });
});

describe('GET /v1/projects', () => {
  it('counts what each project holds directly', async () => {
    // Act
    const projects = await listAll('/projects', alice.key, 1);
    // Assess
    expect(projects).toEqual([
      { path: 'shop', images: 0, deployments: 1, products: 0 },
      { path: 'shop/backend', images: 2, deployments: 1, products: 0 },
      { path: 'shopping', images: 1, deployments: 0, products: 0 },
    ]);
  });

  it('follows a move: PUT with another project frees the old path and counts the new project', async () => {
    // Arrange
    const cart = await must(api.get(at('images', 'shopping/cart'), alice.key));
    // Act
    const moved = await must(api.put(`/images/${cart.id}`, alice.key, { name: 'cart', project: 'shop/frontend', parent: 'ubuntu', version: cart.version }));
    // Assess
    expect(moved).toMatchObject({ project: 'shop/frontend', version: 2 });
    expect((await api.get(at('images', 'shopping/cart'), alice.key)).status).toBe(404);
    expect((await must(api.get(at('images', 'shop/frontend/cart'), alice.key))).id).toBe(cart.id);
    expect((await listAll('/projects', alice.key)).map((p) => p.path)).toEqual(['shop', 'shop/backend', 'shop/frontend']);
    // the old path is free again
    await must(api.post('/images', alice.key, { name: 'cart', project: 'shopping', parent: 'ubuntu' }));
  });

  it('refuses a move onto a path in use (409) and changes nothing', async () => {
    // Arrange
    const tuned = await must(api.get(`/images/${ids.tuned}`, alice.key));
    const projectsBefore = await listAll('/projects', alice.key);
    // Act: shop/backend/mysql-tuned → shopping/cart, which exists
    const reply = await api.put(`/images/${ids.tuned}`, alice.key, { name: 'cart', project: 'shopping', parent: 'mysql', version: tuned.version });
    // Assess
    expect(reply.status).toBe(409);
    expect(await must(api.get(`/images/${ids.tuned}`, alice.key))).toEqual(tuned);
    expect(await listAll('/projects', alice.key)).toEqual(projectsBefore);
  });

  it('drops a project from the listing when its last resource is deleted', async () => {
    // Act
    const reply = await api.delete(at('images', 'shopping/cart'), alice.key);
    // Assess
    expect(reply.status).toBe(204);
    expect((await listAll('/projects', alice.key)).map((p) => p.path)).not.toContain('shopping');
  });
});

describe('products in projects', () => {
  it('resolve their deployment within their project, list with ?project=, and read by path', async () => {
    // Arrange: the vendor's own deployment in their project
    const credential = await must(api.post('/credentials', vendor.key, { connector: SIM, secrets }));
    await must(api.post('/images', vendor.key, { name: 'ubuntu', project: 'store', cloudImageIds: { [SIM]: 'sim-ubuntu-22.04' } }));
    const deployment = await must(api.post('/deployments', vendor.key, { name: 'blog', project: 'store', nodes: [{ name: 'web', image: 'ubuntu' }] }));
    const plans = [{ name: 'basic', monthlyFee: { amount: 500, currency: 'EUR' }, vmHourPrice: { amount: 1, currency: 'EUR' } }];
    // Act
    const product = await must(
      api.post('/products', vendor.key, { name: 'blog', project: 'store', deployment: 'blog', connector: SIM, credential: credential.id, plans }),
    );
    // Assess
    expect(product).toMatchObject({ project: 'store', deployment: deployment.id });
    expect((await must(api.get(at('products', 'store/blog'), vendor.key))).id).toBe(product.id);
    expect(pathsOf(await listAll('/products?project=store', vendor.key))).toEqual(['store/blog']);
    expect(await listAll('/products?project=/', vendor.key)).toEqual([]);
    expect(await listAll('/projects', vendor.key)).toEqual([{ path: 'store', images: 1, deployments: 1, products: 1 }]);
  });
});

describe('projects are their owner’s', () => {
  it('shows another user none of alice’s projects, paths or names, and lets them use the same paths', async () => {
    // Act
    const projects = await listAll('/projects', bob.key);
    const byPath = await api.get(at('images', 'shop/backend/mysql'), bob.key);
    const listed = await listAll('/images?project=shop/backend', bob.key);
    const own = await api.post('/images', bob.key, { name: 'mysql', project: 'shop/backend' });
    // Assess
    expect(projects).toEqual([]);
    expect(byPath.status).toBe(404);
    expect(listed).toEqual([]);
    expect(own.status).toBe(201);
    expect((await listAll('/projects', bob.key)).map((p) => p.path)).toEqual(['shop/backend']);
    expect((await listAll('/projects', alice.key)).find((p) => p.path === 'shop/backend').images).toBe(2);
  });
});
