/**
 * What a person sees: `npm start` (its banner, its log of runs) and `slipway` in
 * a real terminal — a tmux server of this test's own (private socket), 120×30,
 * read with capture-pane. The person pastes the lines `npm start` printed, runs
 * `npm run demo`, pastes alice's lines, and watches runs come up and go.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, REPO } from './support/cli';
import { npmStart, type NpmStart } from './support/npm-start';
import { Terminal } from './support/tmux';

let server: NpmStart;
let terminal: Terminal;
/** alice's API key, as `npm run demo` printed it on the terminal. */
let aliceKey: string;
let runId: string;

const HEADLINE = /^(run_\w+) {2}wordpress-site v3 {2}(\w+) {2}\d+(s|m\d\ds)$/gm;
const headlines = (screen: string) => [...screen.matchAll(HEADLINE)];

/** Types `command` after clearing the screen, and waits until it has ended; returns every screen seen and the exit code. */
async function runInTerminal(command: string, tag: string, timeoutMs = 90_000): Promise<{ screens: string[]; last: string; exitCode: number }> {
  terminal.clear();
  terminal.type(`${command}; echo "EXIT-${tag}=$?"`);
  const screens = await terminal.waitFor((screen) => new RegExp(`^EXIT-${tag}=\\d+$`, 'm').test(screen), timeoutMs);
  const last = screens.at(-1)!;
  return { screens, last, exitCode: Number(new RegExp(`^EXIT-${tag}=(\\d+)$`, 'm').exec(last)![1]) };
}

beforeAll(async () => {
  server = await npmStart();
  mkdirSync(join(server.home, 'person'));
  terminal = new Terminal(REPO, { PATH: process.env.PATH ?? '', HOME: join(server.home, 'person') });
}, 200_000);

afterAll(async () => {
  terminal?.kill();
  await server?.stop();
});

describe('npm start', () => {
  it('prints the lines to paste: SLIPWAY_URL, SLIPWAY_API_KEY, and AWS CLI commands on its fixed ports', () => {
    const output = server.output();

    expect(output).toContain(`\n  export SLIPWAY_URL=http://127.0.0.1:${server.ports.api}\n`);
    expect(output).toContain(`\n  export SLIPWAY_API_KEY=$(cat ${join(server.home, 'data', 'admin.key')})\n`);
    expect(output).toMatch(
      new RegExp(
        `^ {2}AWS_ACCESS_KEY_ID=\\S+ AWS_SECRET_ACCESS_KEY=\\S+ AWS_REGION=\\S+ aws stepfunctions list-executions --endpoint-url http://127\\.0\\.0\\.1:${server.ports.stepFunctions} --state-machine-arn \\S+$`,
        'm',
      ),
    );
    expect(output).toMatch(new RegExp(`aws dynamodb scan --endpoint-url http://127\\.0\\.0\\.1:${server.ports.dynamoDb} --table-name slipway`));
  });

  it('answers on those endpoints with the credentials the lines give', async () => {
    const line =
      /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) AWS_REGION=(\S+) aws stepfunctions list-executions --endpoint-url (\S+) --state-machine-arn (\S+)/.exec(
        server.output(),
      )!;
    const [, accessKeyId, secretAccessKey, region, sfnEndpoint, arn] = line;
    const dynamoEndpoint = /aws dynamodb scan --endpoint-url (\S+)/.exec(server.output())![1];
    const config = { region, credentials: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! } };

    const machines = await new SFNClient({ ...config, endpoint: sfnEndpoint }).send(new ListStateMachinesCommand({}));
    const table = await new DynamoDBClient({ ...config, endpoint: dynamoEndpoint }).send(new DescribeTableCommand({ TableName: 'slipway' }));

    expect(machines.stateMachines?.map((m) => m.stateMachineArn)).toContain(arn);
    expect(table.Table?.TableStatus).toBe('ACTIVE');
  });
});

describe('a person at a terminal', () => {
  it('pastes the two lines, runs npm run demo, and is told what to type next', async () => {
    const exports = server.output().match(/^ {2}export SLIPWAY_\w+=.*$/gm)!;
    for (const line of exports) terminal.type(line.trim());

    const { last, exitCode } = await runInTerminal('npm run demo', 'demo', 120_000);

    expect(exitCode).toBe(0);
    expect(last).toContain('examples/wordpress.yaml applied as alice: 4 to create, 0 to update, 0 unchanged.');
    expect(last).toContain('npx slipway run wordpress-site --connector sim-eu --wait');
    aliceKey = /^ {2}export SLIPWAY_API_KEY=(slw_\S+)$/m.exec(last)![1]!;
    terminal.type(`export SLIPWAY_API_KEY=${aliceKey}`);
  }, 150_000);

  it('is asked before apply changes anything, and a "y" applies', async () => {
    const file = join(server.home, 'person', 'bigger.yaml');
    writeFileSync(file, readFileSync(join(REPO, 'examples', 'wordpress.yaml'), 'utf8').replace('multiplicity: 2', 'multiplicity: 3'));
    terminal.clear();
    terminal.type(`npx slipway apply -f ${file}; echo "EXIT-apply=$?"`);
    await terminal.waitFor((screen) => /Apply these changes\? \[y\/N\]/.test(screen));

    terminal.type('y');
    const last = (await terminal.waitFor((screen) => /^EXIT-apply=\d+$/m.test(screen))).at(-1)!;

    expect(last).toContain('    ~ nodes[1].multiplicity: 2 → 3');
    expect(last).toMatch(/^deployment\s+wordpress-site\s+updated\s+dep_\w+\s+2$/m);
    expect(last).toMatch(/^EXIT-apply=0$/m);
    // Back as the demo left it, for the runs below (a third version, as the first).
    const restored = await cli(
      ['apply', '-f', join(REPO, 'examples', 'wordpress.yaml'), '--yes'],
      cleanEnv({ SLIPWAY_URL: `http://127.0.0.1:${server.ports.api}`, SLIPWAY_API_KEY: aliceKey }),
    );
    expect(restored.code).toBe(0);
  }, 60_000);

  it('types the key for slipway login without it showing, and the saved login works', async () => {
    terminal.clear();
    terminal.type(`env -u SLIPWAY_URL -u SLIPWAY_API_KEY npx slipway login --url http://127.0.0.1:${server.ports.api}; echo "EXIT-login=$?"`);
    await terminal.waitFor((screen) => /^API key:/m.test(screen));

    terminal.type(aliceKey);
    const last = (await terminal.waitFor((screen) => /^EXIT-login=\d+$/m.test(screen))).at(-1)!;
    const saved = statSync(join(server.home, 'person', '.config', 'slipway', 'config.json'));
    const withSavedLogin = await cli(['runs', '-o', 'json'], cleanEnv({ HOME: join(server.home, 'person'), XDG_CONFIG_HOME: undefined }));

    expect(last).toMatch(/^EXIT-login=0$/m);
    expect(last).toContain('Logged in to http://127.0.0.1:');
    expect(last).not.toContain(aliceKey.slice(4, 20));
    expect(saved.mode & 0o777).toBe(0o600);
    expect(withSavedLogin.code).toBe(0);
  }, 60_000);

  it('watches the run come up live, one line per node redrawn in place, until Ready (exit 0)', async () => {
    const { screens, last, exitCode } = await runInTerminal('npx slipway run wordpress-site --connector sim-eu --wait', 'run');

    expect(exitCode).toBe(0);
    const [ready] = headlines(last);
    runId = ready![1]!;
    expect(ready![2]).toBe('Ready');
    expect(last).toMatch(/^ {2}db {4}sim-eu {2}db\.1 ready$/m);
    expect(last).toMatch(/^ {2}web {3}sim-eu {2}web\.1 ready {2}web\.2 ready$/m);
    // On the way: the run in an earlier state, its VMs not ready yet.
    const earlier = screens.filter((screen) => headlines(screen).some((h) => h[2] !== 'Ready'));
    expect(earlier.length).toBeGreaterThan(0);
    expect(earlier.some((screen) => /^ {2}web {3}sim-eu {2}web\.1 (pending|running|waiting)/m.test(screen))).toBe(true);
    // Redrawn in place: never two headlines on the screen, and no escape code left visible.
    for (const screen of screens) expect(headlines(screen).length).toBeLessThanOrEqual(1);
    expect(last).not.toMatch(/\[\d*[AJK]/);
  }, 120_000);

  it('shows the same run in the server log, in words', async () => {
    await server.waitForOutput(new RegExp(`run ${runId}: Executing → Ready`));
    await server.waitForOutput(new RegExp(`run ${runId}: node web, instance web\\.2 on sim-eu: ready`));
    const log = server.output();

    expect(log).toContain(`run ${runId}: launched: wordpress-site v3 for alice`);
    expect(log).toContain(`run ${runId}: Initializing → Provisioning`);
    expect(log).toMatch(new RegExp(`run ${runId}: node db, instance db\\.1 on sim-eu: ready, ip \\d+\\.\\d+\\.\\d+\\.\\d+ \\(\\S+\\)`));
  });

  it('shows the run with its instances (slipway show)', async () => {
    const { last, exitCode } = await runInTerminal(`npx slipway show ${runId}`, 'show');

    expect(exitCode).toBe(0);
    expect(last).toMatch(/^state:\s+Ready$/m);
    expect(last).toMatch(/^web\.1\s+running\s+yes\s+sim-eu\s/m);
  });

  it('watches it terminate until Done (terminate --wait, exit 0)', async () => {
    const { last, exitCode } = await runInTerminal(`npx slipway terminate ${runId} --wait`, 'terminate');

    expect(exitCode).toBe(0);
    expect(headlines(last).map((h) => h[2])).toEqual(['Done']);
    expect(last).toMatch(/^ {2}web {3}sim-eu {2}web\.1 terminated {2}web\.2 terminated$/m);
    expect(last).toContain(`Run ${runId} is Done: its VMs are terminated and its quota released.`);
  }, 120_000);

  it('sees a run end Aborted with its reason, and --wait exits 1', async () => {
    const admin = cleanEnv({
      SLIPWAY_URL: `http://127.0.0.1:${server.ports.api}`,
      SLIPWAY_API_KEY: readFileSync(join(server.home, 'data', 'admin.key'), 'utf8').trim(),
    });
    await cli(['connectors', 'create', 'sim-bare', '--kind', 'sim', '--default-quota', '5', '--max-workers', '1'], admin);
    await cli(['credentials', 'create', '--connector', 'sim-bare', '--secret', 'apiKey=a', '--secret', 'apiSecret=b'], { ...admin, SLIPWAY_API_KEY: aliceKey });

    const { last, exitCode } = await runInTerminal('npx slipway run wordpress-site --connector sim-bare --wait', 'abort');

    expect(exitCode).toBe(1);
    expect(headlines(last).map((h) => h[2])).toEqual(['Aborted']);
    expect(last).toMatch(/^ {2}reason: .*no native id for connector "sim-bare"/m);
    expect(last).toMatch(/^slipway: Run run_\w+ Aborted: /m);
  }, 120_000);

  it('stops watching on Ctrl-C (exit status 130, the rest of the command line skipped) and the run goes on', async () => {
    terminal.clear();
    terminal.type('npx slipway run wordpress-site --connector sim-eu --wait; echo "went on"');
    const watching = await terminal.waitFor((screen) => headlines(screen).length === 1);
    const id = headlines(watching.at(-1)!)[0]![1]!;

    terminal.press('C-c');
    await terminal.waitFor((screen) => screen.includes('Stopped watching') && /^\$ ?$/m.test(screen));
    terminal.type('echo "EXIT-interrupt=$?"');
    const screens = await terminal.waitFor((screen) => /^EXIT-interrupt=\d+$/m.test(screen));
    const ready = await cli(['show', id, '--wait', '-o', 'json'], cleanEnv({ SLIPWAY_URL: `http://127.0.0.1:${server.ports.api}`, SLIPWAY_API_KEY: aliceKey }));

    expect(screens.at(-1)).toMatch(/^EXIT-interrupt=130$/m);
    expect(screens.at(-1)).toContain(`Stopped watching; run ${id} goes on: slipway show ${id}`);
    expect(screens.at(-1)).not.toMatch(/^went on$/m);
    expect(JSON.parse(ready.stdout).state).toBe('Ready');
  }, 120_000);
});
