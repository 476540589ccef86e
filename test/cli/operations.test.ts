/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output is asserted field by field */
/**
 * `slipway scale`, `migrate` and `build`/`builds` against the local stack, as a
 * pipeline runs them (a child process, no terminal): the run really has the
 * asked instances after a scale, a refused scale changes nothing, a migration's
 * plan launches nothing and a migration ends with the new run Ready on the other
 * cloud and the old one Done, a build ends with an image version holding the
 * built ids, a cancelled build ends Cancelled.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { cleanEnv, cli, json, type CliResult } from './support/cli';

let stack: LocalStack;
let admin: Record<string, string>;
let alice: Record<string, string>;

const APP = `
images:
  - name: ubuntu
    cloudImageIds: { sim-eu: sim-ubuntu-22.04, sim-us: sim-ubuntu-22.04, sim-slow: sim-ubuntu-24.04, sim-turns: sim-ubuntu-22.04, sim-broken: sim-ubuntu-22.04 }
  - name: mysql
    parent: ubuntu
    outputs: [hostname]
  - name: wordpress
    parent: ubuntu
    inputs: [db_host]
  - name: tools
    parent: ubuntu
  - name: gadget
    parent: ubuntu
  - name: orphan
deployments:
  - name: wordpress-site
    nodes:
      - name: db
        image: mysql
      - name: web
        image: wordpress
        multiplicity: 2
        inputs:
          db_host: db:hostname
`;

const ok = (result: CliResult) => {
  if (result.code !== 0) throw new Error(`exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
};

/** The run's instances of `node` that are not terminated, by name. */
const live = (run: any, node: string): string[] =>
  run.instances
    .filter((i: any) => i.node === node && i.state !== 'terminated')
    .map((i: any) => i.name)
    .sort();

const quotaUsed = async (connector: string): Promise<number> =>
  json(ok(await cli(['quotas', '-o', 'json'], alice))).find((q: any) => q.connector === connector)?.used ?? 0;

/** Turns every create on `connector` into a permanent failure from now on (admin, over the API: the CLI has no connector update). */
async function breakConnector(connector: string): Promise<void> {
  const headers = { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' };
  const current = (await (await fetch(`${stack.apiUrl}/v1/connectors/${connector}`, { headers })).json()) as any;
  const body = {
    kind: current.kind,
    defaultQuotaVms: current.defaultQuotaVms,
    maxIaasWorkers: current.maxIaasWorkers,
    settings: { ...current.settings, permanentFailureRate: 1 },
    version: current.version,
  };
  const reply = await fetch(`${stack.apiUrl}/v1/connectors/${connector}`, { method: 'PUT', headers, body: JSON.stringify(body) });
  if (reply.status !== 200) throw new Error(`break ${connector}: ${reply.status} ${await reply.text()}`);
}

describe('failures, as the local stack makes them', () => {
  it('scale --wait exits 1 with the reason when the scale was rolled back, and the run is Ready as before', async () => {
    const runId = json(ok(await cli(['run', 'wordpress-site', '--connector', 'sim-turns', '--wait', '-o', 'json'], alice))).id;
    await breakConnector('sim-turns');

    const result = await cli(['scale', runId, 'web=3', '--wait'], alice);
    const run = json(ok(await cli(['show', runId, '-o', 'json'], alice)));

    expect(result.code, result.stdout + result.stderr).toBe(EXIT.failure);
    expect(result.stderr).toMatch(
      new RegExp(`^slipway: The scale of run ${runId} was rolled back \\(it is Ready as before\\): scale of web to 3 rolled back: `, 'm'),
    );
    expect(run.state).toBe('Ready');
    expect(live(run, 'web')).toEqual(['web.1', 'web.2']);
    expect(await quotaUsed('sim-turns')).toBe(3);
  }, 120_000);

  it('migrate --wait exits 1 when the new run ends Aborted, saying the old run keeps running', async () => {
    const oldId = json(ok(await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--node', 'web=:1', '--wait', '-o', 'json'], alice))).id;

    const result = await cli(['migrate', oldId, '--node', 'web=sim-broken', '--wait'], alice);
    const old = json(ok(await cli(['show', oldId, '-o', 'json'], alice)));

    expect(result.code, result.stdout + result.stderr).toBe(EXIT.failure);
    expect(result.stderr).toMatch(new RegExp(`^slipway: The migration failed: new run run_\\w+ ended Aborted \\(.+\\); run ${oldId} keeps running`, 'm'));
    expect(old).toMatchObject({ state: 'Ready' });
    expect(old.migratedTo).toBeUndefined();
    ok(await cli(['terminate', oldId, '--wait'], alice));
  }, 120_000);

  it('build --wait exits 1 naming each build that did not succeed and why, after the others succeed', async () => {
    const result = await cli(['build', 'gadget', '-c', 'sim-eu', '-c', 'sim-broken', '--wait'], alice);

    expect(result.code, result.stdout + result.stderr).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/^slipway: Build bld_\w+ on sim-broken ended Failed: .+/m);
    expect(result.stdout).toMatch(/^bld_\w+\s+gadget v1\s+sim-eu\s+Succeeded\s+sim-img-\S+\s+2\s/m);
    expect(result.stdout).toMatch(/^bld_\w+\s+gadget v1\s+sim-broken\s+Failed\s+-\s/m);
    const builds = json(ok(await cli(['builds', '--image', 'gadget', '-o', 'json'], alice)));
    expect(builds.map((b: any) => [b.connector, b.state]).sort()).toEqual([
      ['sim-broken', 'Failed'],
      ['sim-eu', 'Succeeded'],
    ]);
  }, 120_000);
});

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  admin = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: stack.adminKey });
  const made = json(ok(await cli(['users', 'create', 'alice', '-o', 'json'], admin)));
  alice = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: made.apiKey });
  for (const [name, boot] of [
    ['sim-eu', '1'],
    ['sim-us', '1'],
    ['sim-slow', '6'],
    ['sim-turns', '1'],
    ['sim-broken', '1'],
  ] as const) {
    ok(await cli(['connectors', 'create', name, '--kind', 'sim', '--default-quota', '10', '--max-workers', '2', '--setting', `bootSeconds=${boot}`], admin));
    ok(await cli(['credentials', 'create', '--connector', name, '--secret', 'apiKey=demo', '--secret', 'apiSecret=s3cret'], alice));
  }
  const file = join(alice.HOME!, 'app.yaml');
  writeFileSync(file, APP);
  ok(await cli(['apply', '-f', file, '--yes'], alice));
  await breakConnector('sim-broken');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('scale', () => {
  let runId: string;

  it('refuses a malformed node=count or --timeout before asking anything (exit 2)', async () => {
    const results = await Promise.all([
      cli(['scale', 'run_x', 'web'], alice),
      cli(['scale', 'run_x', 'web=0'], alice),
      cli(['scale', 'run_x', 'web=two'], alice),
      cli(['scale', 'run_x', 'web=2', '--wait', '--timeout', 'soon'], alice),
    ]);

    expect(results.map((r) => r.code)).toEqual([EXIT.usage, EXIT.usage, EXIT.usage, EXIT.usage]);
    expect(results[0]!.stderr).toContain('web: expected node=count');
  });

  it('scales web out 2 → 4 and waits until the run is Ready with four live web instances', async () => {
    runId = json(ok(await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--wait', '-o', 'json'], alice))).id;

    const result = ok(await cli(['scale', runId, 'web=4', '--wait'], alice));
    const run = json(ok(await cli(['show', runId, '-o', 'json'], alice)));

    expect(result.stdout).toContain(`Run ${runId} is Ready with 4 instance(s) of web (was 2).`);
    expect(result.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${runId} web\\.4 ready`, 'm'));
    expect(run.state).toBe('Ready');
    expect(live(run, 'web')).toEqual(['web.1', 'web.2', 'web.3', 'web.4']);
    expect(await quotaUsed('sim-eu')).toBe(5);
  });

  it('scales in 4 → 1 (the highest indexes go) and gives the quota back; --output json prints the run', async () => {
    const run = json(ok(await cli(['scale', runId, 'web=1', '--wait', '-o', 'json'], alice)));

    expect(run.state).toBe('Ready');
    expect(live(run, 'web')).toEqual(['web.1']);
    expect(await quotaUsed('sim-eu')).toBe(2);
  });

  it('exits 1 with the API’s reason when the quota cannot hold the scale, and nothing changes', async () => {
    ok(await cli(['quotas', 'set', 'alice', 'sim-eu', '3'], admin));
    try {
      const refused = await cli(['scale', runId, 'web=5', '--wait'], alice);
      const run = json(ok(await cli(['show', runId, '-o', 'json'], alice)));

      expect(refused.code).toBe(EXIT.failure);
      expect(refused.stderr).toMatch(/^slipway: Quota exceeded: quota exceeded on sim-eu/m);
      expect(run.state).toBe('Ready');
      expect(live(run, 'web')).toEqual(['web.1']);
    } finally {
      ok(await cli(['quotas', 'set', 'alice', 'sim-eu', 'default'], admin));
    }
  });

  it('answers at once without --wait: the run is Scaling from 1 to 2', async () => {
    const result = ok(await cli(['scale', runId, 'web=2'], alice));
    const back = ok(await cli(['show', runId, '--wait', '-o', 'json'], alice));

    expect(result.stdout).toMatch(/^state:\s+Scaling$/m);
    expect(result.stdout).toMatch(/^instances:\s+1 → 2$/m);
    expect(live(json(back), 'web')).toEqual(['web.1', 'web.5']);
  });

  it('exits 3 for a run that does not exist', async () => {
    expect((await cli(['scale', 'run_missing', 'web=2'], alice)).code).toBe(EXIT.notFound);
  });
});

describe('migrate', () => {
  let oldId: string;
  let newId: string;

  beforeAll(async () => {
    oldId = json(ok(await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--node', 'web=:1', '--wait', '-o', 'json'], alice))).id;
  }, 60_000);

  it('needs a target, and a --node of node=connector (exit 2)', async () => {
    const none = await cli(['migrate', oldId], alice);
    const bad = await cli(['migrate', oldId, '--node', 'web'], alice);
    const both = await cli(['migrate', oldId, '--connector', 'sim-us', '--plan', '--wait'], alice);

    expect([none.code, bad.code, both.code]).toEqual([EXIT.usage, EXIT.usage, EXIT.usage]);
    expect(none.stderr).toContain('Say where to: --connector');
    expect(bad.stderr).toContain('--node web: expected node=connector');
  });

  it('shows the plan with what the old run holds during the overlap, and launches nothing (--plan)', async () => {
    const before = json(ok(await cli(['runs', '--all', '-o', 'json'], alice))).length;

    const text = ok(await cli(['migrate', oldId, '--connector', 'sim-us', '--plan'], alice)).stdout;
    const plan = json(ok(await cli(['migrate', oldId, '--connector', 'sim-us', '--plan', '-o', 'json'], alice)));

    expect(text).toContain(`Migration plan for run ${oldId}: wordpress-site v1 as a new run (nothing was launched):`);
    expect(text).toMatch(/^db\s+1\s+sim-us\s+cred_\w+\s+sim-ubuntu-22\.04/m);
    expect(text).toMatch(/HELD BY OLD RUN/);
    expect(text).toContain('A migration would be accepted.');
    expect(plan).toMatchObject({ dryRun: true, migratedFrom: oldId, launchable: true });
    expect(plan.quotas.find((q: any) => q.connector === 'sim-us')).toMatchObject({ needs: 2 });
    expect(plan.quotas.find((q: any) => q.connector === 'sim-eu')).toMatchObject({ needs: 0, heldByMigratedRun: 2 });
    expect(json(ok(await cli(['runs', '--all', '-o', 'json'], alice)))).toHaveLength(before);
  });

  it('exits 1 listing the refusals when the plan would be refused', async () => {
    ok(await cli(['quotas', 'set', 'alice', 'sim-us', '1'], admin));
    try {
      const result = await cli(['migrate', oldId, '--connector', 'sim-us', '--plan'], alice);

      expect(result.code).toBe(EXIT.failure);
      expect(result.stdout).toContain(`A migration would be refused (run ${oldId} would keep running):`);
    } finally {
      ok(await cli(['quotas', 'set', 'alice', 'sim-us', 'default'], admin));
    }
  });

  it('follows the new run to Ready and the old one to Done (--wait): both on their clouds, linked both ways', async () => {
    const result = await cli(['migrate', oldId, '--connector', 'sim-us', '--wait', '-o', 'json'], alice);

    expect(result.code, result.stderr).toBe(0);
    const fresh = json(result);
    newId = fresh.id;
    const old = json(ok(await cli(['show', oldId, '-o', 'json'], alice)));
    const shown = ok(await cli(['show', oldId], alice)).stdout;
    expect(shown).toMatch(new RegExp(`^migrated to:\\s+${fresh.id}$`, 'm'));
    expect(fresh).toMatchObject({ state: 'Ready', migratedFrom: oldId });
    expect(fresh.instances.map((i: any) => `${i.name}@${i.connector}`).sort()).toEqual(['db.1@sim-us', 'web.1@sim-us']);
    expect(old).toMatchObject({ state: 'Done', migratedTo: fresh.id });
    expect(result.stderr).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${fresh.id} Ready$`, 'm'));
    expect(result.stderr).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${oldId} Done$`, 'm'));
    expect(await quotaUsed('sim-us')).toBe(2);
  });

  it('says so in a sentence without --output json', async () => {
    const result = ok(await cli(['migrate', newId, '--node', 'db=sim-eu', '--node', 'web=sim-eu', '--wait'], alice));

    expect(result.stdout).toMatch(new RegExp(`^Run ${newId} migrated to run run_\\w+: run_\\w+ is Ready, ${newId} is Done`, 'm'));
  });

  it('exits 1 when the run cannot be migrated (not Ready)', async () => {
    const result = await cli(['migrate', oldId, '--connector', 'sim-eu'], alice);

    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/^slipway: Conflict: /);
  });
});

describe('build and builds', () => {
  let builds: any[];

  it('builds an image on two clouds and waits: every build Succeeded, the image’s new version holds the built ids', async () => {
    const result = await cli(['build', 'tools', '--connector', 'sim-eu', '--connector', 'sim-us', '--wait'], alice);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d bld_\w+ sim-eu Snapshotting/m);
    expect(result.stdout).toMatch(/^bld_\w+\s+tools v1\s+sim-eu\s+Succeeded\s+sim-img-\S+\s+\d\s/m);
    expect(result.stdout).toContain('Image tools version 3 holds the built image ids.');
    builds = json(ok(await cli(['builds', '--image', 'tools', '-o', 'json'], alice)));
    const image = json(ok(await cli(['images', 'show', 'tools', '-o', 'json'], alice)));
    expect(builds.map((b) => [b.connector, b.state])).toEqual([
      ['sim-eu', 'Succeeded'],
      ['sim-us', 'Succeeded'],
    ]);
    expect(image.version).toBe(3);
    expect(image.cloudImageIds).toEqual({ 'sim-eu': builds[0].builtImageId, 'sim-us': builds[1].builtImageId });
    expect(await quotaUsed('sim-us')).toBe(0);
  });

  it('shows a build with its steps, and lists builds as a table', async () => {
    const shown = ok(await cli(['builds', 'show', builds[0].id], alice)).stdout;
    const listed = ok(await cli(['builds'], alice)).stdout;

    expect(shown).toMatch(/^state:\s+Succeeded$/m);
    expect(shown).toMatch(/^image:\s+tools v1$/m);
    expect([...shown.matchAll(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(\w+)\s/gm)].map((m) => m[1])).toEqual([
      'Pending',
      'Launching',
      'Running',
      'Snapshotting',
      'Succeeded',
    ]);
    expect(listed.split('\n')[0]).toMatch(/^ID\s+IMAGE\s+CONNECTOR\s+STATE\s+BUILT IMAGE\s+NEW VERSION\s+CREATED$/);
  });

  it('starts a build without --wait, cancels it and waits: it ends Cancelled and the image keeps its version', async () => {
    const started = json(ok(await cli(['build', 'tools', '--connector', 'sim-slow', '-o', 'json'], alice)));
    expect(started).toHaveLength(1);

    const cancelled = json(ok(await cli(['builds', 'cancel', started[0].id, '--wait', '-o', 'json'], alice)));
    const again = ok(await cli(['builds', 'cancel', started[0].id], alice));

    expect(cancelled.state).toBe('Cancelled');
    expect(again.stdout.trim()).toBe(`Build ${started[0].id} had already ended Cancelled.`);
    expect(json(ok(await cli(['images', 'show', 'tools', '-o', 'json'], alice))).version).toBe(3);
    expect(await quotaUsed('sim-slow')).toBe(0);
  });

  it('exits 1 when the image has no parent to build from, 3 for an image that does not exist', async () => {
    const orphan = await cli(['build', 'orphan', '--connector', 'sim-eu'], alice);
    const missing = await cli(['build', 'nowhere', '--connector', 'sim-eu'], alice);

    expect(orphan.code).toBe(EXIT.failure);
    expect(orphan.stderr).toMatch(/^slipway: Conflict: /);
    expect(missing.code).toBe(EXIT.notFound);
  });
});
