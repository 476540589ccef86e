/* eslint-disable @typescript-eslint/no-explicit-any -- test client: response bodies are asserted field by field */
/** Builds the walk-through world (users, sim connector, images, deployment) through the API. */
import type { ApiClient } from './http-client';

export async function createUser(api: ApiClient, adminKey: string, name: string): Promise<{ id: string; key: string }> {
  const reply = await api.post('/users', adminKey, { name });
  if (reply.status !== 201) throw new Error(`user: ${reply.text}`);
  return { id: reply.body.id, key: reply.body.apiKey };
}

export async function createSimConnector(
  api: ApiClient,
  adminKey: string,
  name: string,
  settings: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const reply = await api.post('/connectors', adminKey, {
    name,
    kind: 'sim',
    defaultQuotaVms: 20,
    maxIaasWorkers: 2,
    settings: { bootSeconds: 1, ...settings },
    ...extra,
  });
  if (reply.status !== 201) throw new Error(`connector: ${reply.text}`);
  return reply.body;
}

/** Credential, ubuntu → mysql/wordpress images, and the wordpress-site deployment, for one user on one connector. */
export async function createWordpressSite(api: ApiClient, key: string, connector: string, nativeId = 'sim-ubuntu-22.04') {
  const must = async (p: Promise<{ status: number; text: string; body: any }>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(r.text);
    return r.body;
  };
  await must(api.post('/credentials', key, { connector, secrets: { apiKey: 'demo', apiSecret: 'not-a-real-secret' } }));
  await must(api.post('/images', key, { name: 'ubuntu', cloudImageIds: { [connector]: nativeId } }));
  await must(api.post('/images', key, { name: 'mysql', parent: 'ubuntu', recipe: 'apt-get install -y mysql-server', outputs: ['hostname'] }));
  await must(api.post('/images', key, { name: 'wordpress', parent: 'ubuntu', inputs: ['db_host'] }));
  return must(
    api.post('/deployments', key, {
      name: 'wordpress-site',
      nodes: [
        { name: 'db', image: 'mysql', multiplicity: 1 },
        { name: 'web', image: 'wordpress', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
      ],
    }),
  );
}
