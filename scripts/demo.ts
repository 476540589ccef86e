/**
 * `npm run demo`: loads the README's walk-through into a running `npm start` —
 * user alice, the sim connectors sim-eu and sim-us (to migrate between), alice's credential on each, and
 * examples/wordpress.yaml (images ubuntu, mysql, wordpress; deployment
 * wordpress-site) — then prints what to type next. Runs again without harm:
 * what exists is kept (alice gets a fresh key, as keys are shown only once).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAppFile } from '../cli/apply/app-file';
import { executePlan } from '../cli/apply/execute';
import { planApply } from '../cli/apply/plan';
import { summary } from '../cli/apply/show-plan';
import type { ConnectorT, CredentialT, UserT, UserWithKeyT } from '../cli/api-types';
import { ApiError, SlipwayClient } from '../cli/client';
import { configSource, normalizeUrl, type Config } from '../cli/config';
import { CliError } from '../cli/exit-codes';

const USER = 'alice';
const CONNECTOR = 'sim-eu';
/** The second simulated cloud, for `slipway migrate`. */
const OTHER_CONNECTOR = 'sim-us';
const APP_FILE = resolve(import.meta.dirname, '../examples/wordpress.yaml');

const say = (line = '') => process.stdout.write(`${line}\n`);

/** The admin's URL and key: SLIPWAY_URL / SLIPWAY_API_KEY or the saved login, else npm start's defaults. */
function adminConfig(): Config {
  const source = configSource();
  const keyFile = resolve(process.env.SLIPWAY_HOME ?? '.slipway', 'admin.key');
  const apiKey = source.apiKey ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!apiKey) throw new CliError(`No admin key: export SLIPWAY_API_KEY (npm start prints the line) or keep npm start's ${keyFile}`);
  return { url: normalizeUrl(source.url ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`), apiKey };
}

async function userWithKey(admin: SlipwayClient): Promise<UserWithKeyT> {
  const existing = (await admin.listAll<UserT>('/users')).find((u) => u.name === USER);
  if (existing) return admin.post<UserWithKeyT>(`/users/${existing.id}/keys`, {});
  return admin.post<UserWithKeyT>('/users', { name: USER });
}

async function main(): Promise<void> {
  const config = adminConfig();
  const admin = new SlipwayClient(config);
  const user = await userWithKey(admin).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 403) throw new CliError('npm run demo needs the admin key (the one npm start prints the line for)');
    throw error;
  });
  say(`User ${USER} (${user.id}), with a new API key.`);

  const alice = new SlipwayClient({ url: config.url, apiKey: user.apiKey });
  for (const connector of [CONNECTOR, OTHER_CONNECTOR]) {
    if (await admin.find<ConnectorT>(`/connectors/${connector}`)) say(`Connector ${connector} is there already.`);
    else {
      await admin.post('/connectors', { name: connector, kind: 'sim', defaultQuotaVms: 10, maxIaasWorkers: 2, settings: { bootSeconds: 5 } });
      say(`Connector ${connector}: a simulated cloud, VMs boot in 5 s, 10 VMs per user.`);
    }
    if ((await alice.listAll<CredentialT>('/credentials')).some((c) => c.connector === connector))
      say(`${USER}'s credential on ${connector} is there already.`);
    else {
      await alice.post('/credentials', { connector, secrets: { apiKey: 'demo', apiSecret: 'not-a-real-secret' } });
      say(`${USER}'s credential on ${connector}.`);
    }
  }

  const plan = await planApply(alice, parseAppFile(readFileSync(APP_FILE, 'utf8'), APP_FILE));
  await executePlan(alice, plan);
  say(`examples/wordpress.yaml applied as ${USER}: ${summary(plan).replace(/^Plan: /, '')}`);

  say(`
Next, as ${USER} (paste these lines):
  export SLIPWAY_URL=${config.url}
  export SLIPWAY_API_KEY=${user.apiKey}
  npx slipway apply -f examples/wordpress.yaml          # nothing to change: it is loaded
  npx slipway run wordpress-site --connector ${CONNECTOR} --wait
  npx slipway runs
  npx slipway show <run id>
  npx slipway terminate <run id> --wait
  npx slipway migrate <run id> --connector ${OTHER_CONNECTOR} --wait   # on a Ready run`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`npm run demo: ${error instanceof CliError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}
