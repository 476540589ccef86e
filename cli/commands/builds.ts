/** Image builds: `build <image>` starts one per connector (--wait follows them), `builds` lists, shows and cancels them. */
import { Option, type Command } from 'commander';
import type { BuildT, ImageT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { contextOf, interruptible, type Context } from '../context';
import { parseDuration } from '../durations';
import { CliError, EXIT, UsageError } from '../exit-codes';
import { BUILD_COLUMNS, showBuild, type NamedBuild } from '../build-text';
import { followBuilds, isFinalBuild } from '../follow-builds';
import { collect } from '../key-values';
import { pathOf } from '../projects';
import { table } from '../render';

/** Builds with their image's name (table output only: JSON keeps the API's answer). */
async function named(ctx: Context, client: SlipwayClient, builds: BuildT[]): Promise<NamedBuild[]> {
  if (ctx.out.format !== 'table' || !builds.length) return builds;
  const images = await client.listAll<ImageT>('/images').catch(() => []);
  const names = new Map(images.map((i) => [i.id, pathOf(i)]));
  return builds.map((b) => ({ ...b, imageName: names.get(b.image) }));
}

/** Follows `builds` on the person's terminal (stderr with --output json), Ctrl-C and --timeout as for runs. */
function waitForBuilds(ctx: Context, builds: BuildT[], timeoutMs: number): Promise<BuildT[]> {
  const terminal = ctx.out.format === 'json' ? ctx.out.stderr : ctx.out.stdout;
  return interruptible((signal) => followBuilds(ctx.client(), builds, { terminal, timeoutMs, signal }));
}

export function registerBuilds(program: Command): void {
  program
    .command('build')
    .description(
      "Build an image on clouds: per connector a VM from the parent's native image runs the recipe and is snapshotted; the image's next version holds the built ids",
    )
    .argument('<image>', 'image name, path or id')
    .requiredOption('-c, --connector <name>', 'a connector to build on (repeatable)', collect, [])
    .option('--wait', 'follow the builds until they end: exit 0 when all Succeeded, 1 otherwise (with the reasons)')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4); the builds go on').default('1h'))
    .option('--idempotency-key <key>', 'a retried command with the same key gets the first builds instead of new ones')
    .action(async (image: string, opts: { connector: string[]; wait?: boolean; timeout: string; idempotencyKey?: string }, command: Command) => {
      const ctx = contextOf(command);
      if (!opts.connector.length) throw new UsageError('Name at least one --connector to build on');
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      const client = ctx.client();
      const headers = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined;
      const { builds } = (await client.send<{ builds: BuildT[] }>('POST', `/images/${seg(image)}/build`, { body: { connectors: opts.connector }, headers }))
        .body;
      if (!opts.wait) {
        const rows = await named(ctx, client, builds);
        ctx.out.result(rows, (r) => `${table(r, BUILD_COLUMNS)}\n\nFollow them: slipway builds show <id>   (or slipway build … --wait)`);
        return;
      }
      const ended = await named(ctx, client, await waitForBuilds(ctx, builds, timeoutMs));
      ctx.out.result(ended, (r) => {
        const done = r.filter((b) => b.state === 'Succeeded');
        const latest = Math.max(0, ...done.map((b) => b.newImageVersion ?? 0));
        const summary = done.length ? `\n\nImage ${r[0]!.imageName ?? image} version ${latest} holds the built image ids.` : '';
        return `${table(r, BUILD_COLUMNS)}${summary}`;
      });
      const failed = ended.filter((b) => b.state !== 'Succeeded');
      if (failed.length) {
        throw new CliError(
          failed.map((b) => `Build ${b.id} on ${b.connector} ended ${b.state}: ${b.failureReason ?? 'no reason given'}`).join('\n'),
          EXIT.failure,
        );
      }
    });

  const builds = program.command('builds').description('Image builds: list, show, cancel (start them with slipway build)');
  builds
    .command('list', { isDefault: true })
    .description('your builds, oldest first (an admin: everyone’s)')
    .option('--image <name|id>', "only this image's builds")
    .action(async (options: { image?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const found = await client.listAll<BuildT>('/builds', { image: options.image });
      ctx.out.list(await named(ctx, client, found), BUILD_COLUMNS, 'No builds.');
    });
  builds
    .command('show')
    .description('a build with its steps')
    .argument('<build>', 'build id')
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const [build] = await named(ctx, client, [await client.get<BuildT>(`/builds/${seg(id)}`)]);
      ctx.out.result(build!, showBuild);
    });
  builds
    .command('cancel')
    .description('cancel a build: at its next look it ends Cancelled, its half-made image deleted and its builder VM terminated')
    .argument('<build>', 'build id')
    .option('--wait', 'follow it until it has ended')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4)').default('30m'))
    .action(async (id: string, options: { wait?: boolean; timeout: string }, command: Command) => {
      const ctx = contextOf(command);
      const timeoutMs = parseDuration(options.timeout, '--timeout');
      const client = ctx.client();
      const before = await client.get<BuildT>(`/builds/${seg(id)}`);
      let build = await client.post<BuildT>(`/builds/${seg(id)}/cancel`);
      if (options.wait) build = (await waitForBuilds(ctx, [build], timeoutMs))[0] ?? build;
      ctx.out.result(build, (b) => {
        if (isFinalBuild(before)) return `Build ${b.id} had already ended ${b.state}.`;
        if (isFinalBuild(b)) return `Build ${b.id} ended ${b.state}${b.failureReason ? ` (${b.failureReason})` : ''}.`;
        return `Cancelling build ${b.id} (${b.state}): it ends Cancelled at its next look.`;
      });
    });
}
