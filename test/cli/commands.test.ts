/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output is asserted field by field */
/**
 * Every `slipway` command against the local stack, as a pipeline runs them: a
 * child process with SLIPWAY_URL / SLIPWAY_API_KEY and its own HOME, no
 * terminal. Table and JSON output, exit codes, apply's plan and idempotence,
 * the login file's mode, and the plain progress lines of `run --wait`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { cleanEnv, cli, json, REPO, type CliResult } from './support/cli';

let stack: LocalStack;
/** The admin's environment, and alice's once she exists. */
let admin: Record<string, string>;
let alice: Record<string, string>;
let aliceId: string;

const APP = readFileSync(join(REPO, 'examples', 'wordpress.yaml'), 'utf8');

/** A YAML file in alice's HOME. */
function appFile(name: string, text: string): string {
  const file = join(alice.HOME!, name);
  writeFileSync(file, text);
  return file;
}

const ok = (result: CliResult) => {
  if (result.code !== 0) throw new Error(`exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
};

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  admin = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: stack.adminKey });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the command line itself', () => {
  it('lists every command in --help, with the exit codes', async () => {
    const result = ok(await cli(['--help'], cleanEnv()));

    for (const command of [
      'login',
      'logout',
      'config',
      'apply',
      'run',
      'runs',
      'show',
      'events',
      'terminate',
      'scale',
      'migrate',
      'build',
      'builds',
      'projects',
      'quotas',
      'usage',
      'images',
      'deployments',
      'kinds',
      'connectors',
      'credentials',
      'users',
      'keys',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toMatch(/^ {2}3 {4}not found or not allowed/m);
  });

  it('runs as `npx slipway` from the repository', () => {
    const result = spawnSync('npx', ['slipway', '--version'], { cwd: REPO, encoding: 'utf8', env: cleanEnv() });

    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });

  it('exits 2 on an unknown command, a bad option value or a missing argument', async () => {
    const unknown = await cli(['launch'], admin);
    const badFormat = await cli(['runs', '--output', 'yaml'], admin);
    const missing = await cli(['run'], admin);
    const badNode = await cli(['run', 'x', '--node', 'web'], admin);

    expect([unknown.code, badFormat.code, missing.code, badNode.code]).toEqual([EXIT.usage, EXIT.usage, EXIT.usage, EXIT.usage]);
    expect(badNode.stderr).toContain('--node web: expected node=connector:count');
  });

  it('exits 3 naming what to set when no URL or key is configured', async () => {
    const result = await cli(['runs'], cleanEnv());

    expect(result.code).toBe(EXIT.notFound);
    expect(result.stderr).toContain('No SLIPWAY_URL and no SLIPWAY_API_KEY set');
  });

  it('exits 3 with the problem title and detail when the key is refused', async () => {
    const result = await cli(['runs'], { ...admin, SLIPWAY_API_KEY: 'slw_not-a-key' });

    expect(result.code).toBe(EXIT.notFound);
    expect(result.stderr).toMatch(/^slipway: Unauthorized: /);
  });

  it('exits 1 when the API cannot be reached', async () => {
    const result = await cli(['runs'], { ...admin, SLIPWAY_URL: 'http://127.0.0.1:9' });

    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toContain('Cannot reach the API at http://127.0.0.1:9');
  });
});

describe('admin commands', () => {
  it('creates a user and shows their API key once (users create)', async () => {
    const made = json(ok(await cli(['users', 'create', 'alice', '-o', 'json'], admin)));

    expect(made).toMatchObject({ name: 'alice', role: 'user', apiKey: expect.stringMatching(/^slw_/) });
    aliceId = made.id;
    alice = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: made.apiKey });
  });

  it('lists users as a table and as JSON', async () => {
    const table = ok(await cli(['users'], admin)).stdout;
    const list = json(ok(await cli(['users', 'list', '-o', 'json'], admin)));

    expect(table.split('\n')[0]).toMatch(/^ID\s+NAME\s+ROLE\s+KEYS\s+CREATED$/);
    expect(table).toMatch(new RegExp(`^${aliceId}\\s+alice\\s+user\\s+1\\s`, 'm'));
    expect(list.map((u: any) => u.name).sort()).toEqual(['admin', 'alice']);
  });

  it('shows and deletes a user by name', async () => {
    ok(await cli(['users', 'create', 'bob'], admin));

    const shown = json(ok(await cli(['users', 'show', 'bob', '-o', 'json'], admin)));
    const deleted = await cli(['users', 'delete', 'bob'], admin);
    const after = await cli(['users', 'show', shown.id], admin);

    expect(shown.name).toBe('bob');
    expect(deleted.stdout).toContain(`Deleted user ${shown.id}`);
    expect(after.code).toBe(EXIT.notFound);
  });

  it('creates sim connectors from flags or from a file, and lists them', async () => {
    const file = join(admin.HOME!, 'sim-us.yaml');
    writeFileSync(file, 'name: sim-us\nkind: sim\ndefaultQuotaVms: 5\nmaxIaasWorkers: 1\nsettings:\n  bootSeconds: 3\n');

    ok(await cli(['connectors', 'create', 'sim-eu', '--kind', 'sim', '--default-quota', '10', '--max-workers', '2', '--setting', 'bootSeconds=1'], admin));
    ok(await cli(['connectors', 'create', '-f', file, '--setting', 'bootSeconds=1'], admin));

    const list = json(ok(await cli(['connectors', '-o', 'json'], alice)));
    const table = ok(await cli(['connectors'], alice)).stdout;
    const one = json(ok(await cli(['connectors', 'show', 'sim-eu', '-o', 'json'], alice)));

    expect(list.map((c: any) => c.name)).toEqual(['sim-eu', 'sim-us']);
    expect(table).toMatch(/^sim-eu\s+sim\s+-\s+-\s+10\s+2\s+.*bootSeconds=1/m);
    expect(one).toMatchObject({ kind: 'sim', defaultQuotaVms: 10, settings: { bootSeconds: 1 } });
    expect(list[1]).toMatchObject({ defaultQuotaVms: 5, maxIaasWorkers: 1, settings: { bootSeconds: 1 } });
  });

  it('surfaces a refused create as "title: detail" and each bad field, exit 1', async () => {
    const result = await cli(['connectors', 'create', 'broken', '--kind', 'sim', '--default-quota', '1', '--max-workers', '0'], admin);

    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/^slipway: Invalid request: .+\n {2}body\.maxIaasWorkers: /);
  });

  it('deletes a connector nothing uses', async () => {
    ok(await cli(['connectors', 'create', 'sim-tmp', '--kind', 'sim', '--default-quota', '1', '--max-workers', '1'], admin));

    ok(await cli(['connectors', 'delete', 'sim-tmp'], admin));

    expect((await cli(['connectors', 'show', 'sim-tmp'], admin)).code).toBe(EXIT.notFound);
  });

  it('overrides a quota and puts it back to the default (quotas set)', async () => {
    const set = json(ok(await cli(['quotas', 'set', 'alice', 'sim-us', '3', '-o', 'json'], admin)));
    const listed = json(ok(await cli(['quotas', '--user', 'alice', '-o', 'json'], admin)));
    const reset = json(ok(await cli(['quotas', 'set', aliceId, 'sim-us', 'default', '-o', 'json'], admin)));

    expect(set).toMatchObject({ user: aliceId, connector: 'sim-us', maxVms: 3, source: 'override' });
    expect(listed.find((q: any) => q.connector === 'sim-us')).toMatchObject({ maxVms: 3 });
    expect(reset).toMatchObject({ maxVms: 5, source: 'default' });
  });

  it('lists the connector kinds with their settings and secrets', async () => {
    const table = ok(await cli(['kinds'], alice)).stdout;

    expect(table).toMatch(/^sim\s+bootSeconds, transientFailureRate, permanentFailureRate, seed\s+apiKey, apiSecret$/m);
  });
});

describe('keys and login', () => {
  it('makes, lists and revokes API keys; a revoked key gets exit 3', async () => {
    const made = json(ok(await cli(['keys', 'create', '--expires', '30d', '-o', 'json'], alice)));
    const listed = json(ok(await cli(['keys', '-o', 'json'], alice)));

    ok(await cli(['keys', 'delete', made.key.id], alice));
    const refused = await cli(['runs'], { ...alice, SLIPWAY_API_KEY: made.apiKey });

    expect(Date.parse(made.key.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(listed.map((k: any) => k.id)).toContain(made.key.id);
    expect(refused.code).toBe(EXIT.notFound);
  });

  it('keeps the key of `slipway login` in a file only its owner can read, and uses it', async () => {
    const env = cleanEnv();

    const login = await cli(['login', '--url', `${stack.apiUrl}/v1`], env, { input: `${alice.SLIPWAY_API_KEY}\n` });
    const file = join(env.XDG_CONFIG_HOME!, 'slipway', 'config.json');
    const runs = await cli(['runs'], env);
    const config = await cli(['config'], env);

    expect(login.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.XDG_CONFIG_HOME!, 'slipway')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: stack.apiUrl, apiKey: alice.SLIPWAY_API_KEY });
    expect(runs.code).toBe(0);
    expect(config.stdout).toContain(`${alice.SLIPWAY_API_KEY!.slice(0, 12)}…`);
    expect(config.stdout).not.toContain(alice.SLIPWAY_API_KEY);
  });

  it('writes under ~/.config/slipway without XDG_CONFIG_HOME, and logout removes it', async () => {
    const env = cleanEnv({ XDG_CONFIG_HOME: undefined });

    ok(await cli(['login', '--url', stack.apiUrl], env, { input: alice.SLIPWAY_API_KEY }));
    const file = join(env.HOME!, '.config', 'slipway', 'config.json');
    const mode = statSync(file).mode & 0o777;
    ok(await cli(['logout'], env));

    expect(mode).toBe(0o600);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a key the API refuses and keeps nothing', async () => {
    const env = cleanEnv();

    const login = await cli(['login', '--url', stack.apiUrl], env, { input: 'slw_wrong' });

    expect(login.code).toBe(EXIT.notFound);
    expect(existsSync(join(env.XDG_CONFIG_HOME!, 'slipway', 'config.json'))).toBe(false);
  });
});

describe('credentials and look-ups', () => {
  it('stores a credential and lists it without its secrets', async () => {
    ok(await cli(['credentials', 'create', '--connector', 'sim-eu', '--secret', 'apiKey=demo', '--secret', 'apiSecret=s3cret'], alice));
    ok(await cli(['credentials', 'create', '--connector', 'sim-us', '--secret', 'apiKey=demo', '--secret', 'apiSecret=s3cret'], alice));

    const result = ok(await cli(['credentials'], alice));

    expect(result.stdout).toMatch(/^cred_\w+\s+sim-eu\s+sim\s+apiKey, apiSecret\s/m);
    expect(result.stdout).not.toContain('s3cret');
  });

  it('asks the cloud for its images, instance types and zones', async () => {
    const images = ok(await cli(['connectors', 'images', 'sim-eu'], alice)).stdout;
    const types = json(ok(await cli(['connectors', 'instance-types', 'sim-eu', '-o', 'json'], alice)));
    const zones = json(ok(await cli(['connectors', 'zones', 'sim-eu', '-o', 'json'], alice)));

    expect(images).toMatch(/^sim-ubuntu-22\.04\s+Ubuntu 22\.04/m);
    expect(types.length).toBeGreaterThan(0);
    expect(types[0]).toMatchObject({ id: expect.any(String), cpu: expect.any(Number) });
    expect(zones.length).toBeGreaterThan(0);
  });
});

describe('apply -f', () => {
  it('refuses without --yes when there is no terminal to ask on, changing nothing (exit 2)', async () => {
    const result = await cli(['apply', '-f', appFile('app.yaml', APP)], alice);

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('Pass --yes');
    expect(result.stdout).toContain('Plan: 4 to create, 0 to update, 0 unchanged.');
    expect(json(await cli(['images', '-o', 'json'], alice))).toEqual([]);
  });

  it('shows the plan and changes nothing with --dry-run', async () => {
    const result = ok(await cli(['apply', '-f', appFile('app.yaml', APP), '--dry-run'], alice));

    expect(result.stdout).toContain('  + image mysql\n      outputs[0]: "hostname"\n      parent: ubuntu (new)\n');
    expect(result.stdout).toContain('      nodes[1].inputs.db_host: "db:hostname"');
    expect(json(await cli(['deployments', '-o', 'json'], alice))).toEqual([]);
  });

  it('creates every image (parents first) and the deployment with --yes', async () => {
    const result = json(ok(await cli(['apply', '-f', appFile('app.yaml', APP), '--yes', '-o', 'json'], alice)));

    expect(result.applied.map((a: any) => `${a.action} ${a.kind} ${a.name} v${a.version}`)).toEqual([
      'create image ubuntu v1',
      'create image mysql v1',
      'create image wordpress v1',
      'create deployment wordpress-site v1',
    ]);
    const mysql = json(await cli(['images', 'show', 'mysql', '-o', 'json'], alice));
    const ubuntu = json(await cli(['images', 'show', 'ubuntu', '-o', 'json'], alice));
    expect(mysql.parent).toBe(ubuntu.id);
  });

  it('makes no new version of what did not change', async () => {
    const result = ok(await cli(['apply', '-f', appFile('app.yaml', APP), '--yes'], alice));

    expect(result.stdout).toContain('Plan: 0 to create, 0 to update, 4 unchanged.');
    expect(result.stdout).toContain('Nothing to change.');
    expect(json(await cli(['images', 'versions', 'ubuntu', '-o', 'json'], alice))).toHaveLength(1);
    expect(json(await cli(['deployments', 'versions', 'wordpress-site', '-o', 'json'], alice))).toHaveLength(1);
  });

  it('shows the changed fields and gives only the changed resources a new version', async () => {
    const changed = APP.replace('multiplicity: 2', 'multiplicity: 3').replace('inputs: [db_host]', 'inputs: [db_host, db_port]');

    const plan = ok(await cli(['apply', '-f', appFile('changed.yaml', changed), '--dry-run'], alice)).stdout;
    ok(await cli(['apply', '-f', appFile('changed.yaml', changed), '--yes'], alice));

    expect(plan).toContain('Plan: 0 to create, 2 to update, 2 unchanged.');
    expect(plan).toContain('  ~ image wordpress  (version 1 → 2)\n    + inputs[1]: "db_port"\n');
    expect(plan).toContain('  ~ deployment wordpress-site  (version 1 → 2)\n    ~ nodes[1].multiplicity: 2 → 3\n');
    expect(plan).toContain('  = image mysql  (version 1)');
    expect(json(await cli(['images', 'versions', 'mysql', '-o', 'json'], alice))).toHaveLength(1);
    expect(json(await cli(['deployments', 'show', 'wordpress-site', '-o', 'json'], alice))).toMatchObject({ version: 2 });
  });

  it('puts the file back as it was (a third version, the same fields as the first)', async () => {
    ok(await cli(['apply', '-f', appFile('app.yaml', APP), '--yes'], alice));

    const deployment = json(await cli(['deployments', 'show', 'wordpress-site', '-o', 'json'], alice));
    expect(deployment.version).toBe(3);
    expect(deployment.nodes.map((n: any) => n.multiplicity)).toEqual([1, 2]);
  });

  it('refuses a file with unknown sections, nameless items or references to no image, changing nothing (exit 2)', async () => {
    const shape = await cli(['apply', '-f', appFile('bad.yaml', 'images:\n  - parent: ubuntu\nvolumes: []\n'), '--yes'], alice);
    const reference = await cli(['apply', '-f', appFile('ref.yaml', 'images:\n  - name: extra\n    parent: nowhere\n'), '--yes'], alice);
    const yaml = await cli(['apply', '-f', appFile('yaml.yaml', 'images: [\n'), '--yes'], alice);

    expect([shape.code, reference.code, yaml.code]).toEqual([EXIT.usage, EXIT.usage, EXIT.usage]);
    expect(shape.stderr).toContain('volumes: unknown section');
    expect(shape.stderr).toContain('images[0].name: required');
    expect(reference.stderr).toContain('images.extra.parent: no image "nowhere" in the file or on the server');
    expect(yaml.stderr).toContain('is not valid YAML');
    expect((await cli(['images', 'show', 'extra'], alice)).code).toBe(EXIT.notFound);
  });
});

describe('runs', () => {
  let runId: string;

  it('launches a run and prints its id (run without --wait)', async () => {
    const launched = json(ok(await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--expires', '2h', '--tag', 'team=web', '-o', 'json'], alice)));

    runId = launched.id;
    expect(launched).toMatchObject({ state: 'Initializing', connector: 'sim-eu', tags: { team: 'web' } });
    expect(Date.parse(launched.expiresAt) - Date.now()).toBeGreaterThan(119 * 60_000);
  });

  it('follows a run with --wait without a terminal: one plain line per change, exit 0 on Ready', async () => {
    const result = await cli(['show', runId, '--wait'], alice);
    const run = json(await cli(['show', runId, '-o', 'json'], alice));

    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${runId} Ready$`, 'm'));
    for (const name of ['db.1', 'web.1', 'web.2']) expect(result.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${runId} ${name} ready`, 'm'));
    expect(run.instances.map((i: any) => i.name).sort()).toEqual(['db.1', 'web.1', 'web.2']);
  });

  it('launches with per-node overrides and waits for Ready in one command (run --wait)', async () => {
    const result = await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--node', 'web=sim-eu:1', '--wait', '-o', 'json'], alice);

    expect(result.code).toBe(0);
    const run = json(result);
    expect(run.state).toBe('Ready');
    expect(run.nodes).toEqual({ web: { connector: 'sim-eu', multiplicity: 1 } });
    expect(run.instances.map((i: any) => i.name).sort()).toEqual(['db.1', 'web.1']);
    expect(result.stderr).toMatch(/ web\.1 ready/);
  });

  it('exits 1 with the reason when the run ends Aborted (run --wait)', async () => {
    const result = await cli(['run', 'wordpress-site', '--connector', 'sim-us', '--wait'], alice);

    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/^slipway: Run run_\w+ Aborted: .*no native id for connector "sim-us"/m);
  });

  it('lists runs as a table (deployment by name) and as JSON, filtered by state', async () => {
    const table = ok(await cli(['runs'], alice)).stdout;
    const ready = json(ok(await cli(['runs', '--state', 'Ready', '-o', 'json'], alice)));
    const aborted = json(ok(await cli(['runs', '--state', 'Aborted', '--all', '-o', 'json'], alice)));

    expect(table.split('\n')[0]).toMatch(/^ID\s+DEPLOYMENT\s+STATE\s+CONNECTOR\s+CREATED\s+EXPIRES$/);
    expect(table).toMatch(new RegExp(`^${runId}\\s+wordpress-site v3\\s+Ready\\s+sim-eu\\s`, 'm'));
    expect(ready.map((r: any) => r.id)).toContain(runId);
    expect(aborted).toHaveLength(1);
  });

  it('shows a run with its instances and their parameters', async () => {
    const shown = ok(await cli(['show', runId], alice)).stdout;

    expect(shown).toMatch(/^state:\s+Ready$/m);
    expect(shown).toMatch(/^deployment:\s+wordpress-site v3$/m);
    expect(shown).toMatch(/^web\.2\s+running\s+yes\s+sim-eu\s+\S+\s+[\d.]+\s+.*db_host=db-1\./m);
  });

  it("lists a run's events, oldest first", async () => {
    const table = ok(await cli(['events', runId], alice)).stdout;
    const events = json(ok(await cli(['events', runId, '-o', 'json'], alice)));

    expect(events.filter((e: any) => e.state).map((e: any) => e.state)).toEqual(['Initializing', 'Provisioning', 'Executing', 'Ready']);
    expect(table).toMatch(/Provisioning\s+Initializing → Provisioning$/m);
  });

  it('follows events as JSON lines until the run is over (events --follow), while it is terminated', async () => {
    const following = cli(['events', runId, '--follow', '-o', 'json'], alice);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const terminated = ok(await cli(['terminate', runId, '--wait'], alice));
    const followed = await following;

    expect(terminated.stdout).toContain(`Run ${runId} is Done: its VMs are terminated and its quota released.`);
    expect(followed.code).toBe(0);
    // One JSON object per line, as each event comes; the last moves are the termination's.
    const states = followed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((event) => event.state)
      .map((event) => event.state);
    expect(states.slice(-2)).toEqual(['Finalizing', 'Done']);
  });

  it('says a run is already over when terminated again', async () => {
    const again = ok(await cli(['terminate', runId], alice));

    expect(again.stdout.trim()).toBe(`Run ${runId} is already Done.`);
  });

  it('exits 3 for a run that does not exist', async () => {
    const result = await cli(['show', 'run_missing'], alice);

    expect(result.code).toBe(EXIT.notFound);
    expect(result.stderr).toBe('slipway: Not found: run run_missing not found\n');
  });

  it('shows quotas in use and the usage metered at finalization', async () => {
    const quotas = json(ok(await cli(['quotas', '-o', 'json'], alice)));
    const usage = json(ok(await cli(['usage', '-o', 'json'], alice)));
    const table = ok(await cli(['usage'], alice)).stdout;

    // The run launched with --node web=sim-eu:1 is still Ready: 2 VMs.
    expect(quotas.find((q: any) => q.connector === 'sim-eu')).toMatchObject({ used: 2, maxVms: 10 });
    expect(usage.filter((u: any) => u.run === runId).reduce((sum: number, u: any) => sum + u.vmSeconds, 0)).toBeGreaterThan(0);
    expect(table).toMatch(new RegExp(`sim-eu\\s+${runId}\\s+\\d+`));
  });
});

describe('images and deployments', () => {
  it('lists images with their parent by name', async () => {
    const table = ok(await cli(['images'], alice)).stdout;

    expect(table).toMatch(/^mysql\s+img_\w+\s+1\s+\S+ \S+\s+ubuntu\s+-$/m);
    expect(table).toMatch(/^ubuntu\s+img_\w+\s+1\s+\S+ \S+\s+-\s+sim-eu$/m);
  });

  it('shows an older version of a deployment', async () => {
    const first = json(ok(await cli(['deployments', 'show', 'wordpress-site', '--at', '2', '-o', 'json'], alice)));

    expect(first.nodes.map((n: any) => n.multiplicity)).toEqual([1, 3]);
  });

  it('refuses to delete an image a deployment uses, and deletes one nothing uses', async () => {
    ok(await cli(['apply', '-f', appFile('extra.yaml', 'images:\n  - name: scratch\n    parent: ubuntu\n'), '--yes'], alice));

    const used = await cli(['images', 'delete', 'mysql'], alice);
    const free = await cli(['images', 'delete', 'scratch'], alice);

    expect(used.code).toBe(EXIT.failure);
    expect(used.stderr).toMatch(/^slipway: Conflict: /);
    expect(free.code).toBe(0);
    expect((await cli(['images', 'show', 'scratch'], alice)).code).toBe(EXIT.notFound);
  });
});
