/** `login` (store the URL and key, 0600), `logout`, and `config` (what is in use, and from where). */
import type { Command } from 'commander';
import { SlipwayClient } from '../client';
import { configFile, configSource, normalizeUrl, removeConfig, saveConfig } from '../config';
import { contextOf } from '../context';
import { UsageError } from '../exit-codes';
import { askSecret, readAll } from '../prompt';
import { fields } from '../render';

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description(`Check an API key against the API and keep it for later commands (in ${configFile().replace(process.env.HOME ?? '~', '~')}, mode 0600)`)
    .option('--url <url>', 'the API, e.g. http://127.0.0.1:8080 (default: SLIPWAY_URL)')
    .addHelpText('after', '\nThe key is asked for on the terminal (not echoed), or read from stdin: echo "$KEY" | slipway login --url …')
    .action(async (options: { url?: string }, command: Command) => {
      const ctx = contextOf(command);
      const url = options.url ?? ctx.env.SLIPWAY_URL ?? configSource(ctx.env).url;
      if (!url) throw new UsageError('Give the API: slipway login --url http://127.0.0.1:8080');
      const apiKey = (ctx.stdin.isTTY ? await askSecret('API key: ', ctx.stdin, process.stderr) : await readAll(ctx.stdin)).trim();
      if (!apiKey) throw new UsageError('No API key given');
      const config = { url: normalizeUrl(url), apiKey };
      // A key the API refuses is not kept (ApiError: exit 3).
      await new SlipwayClient(config).get('/runs', { limit: 1 });
      const file = saveConfig(config, ctx.env);
      ctx.out.result({ url: config.url, file }, () => `Logged in to ${config.url}; the key is kept in ${file} (readable by you only).`);
      if (ctx.env.SLIPWAY_API_KEY || ctx.env.SLIPWAY_URL) ctx.out.note('note: SLIPWAY_URL / SLIPWAY_API_KEY are set and take precedence over the saved login.');
    });

  program
    .command('logout')
    .description('Forget the saved login')
    .action((_options, command: Command) => {
      const ctx = contextOf(command);
      const removed = removeConfig(ctx.env);
      ctx.out.result({ removed }, () => (removed ? `Removed ${configFile(ctx.env)}.` : 'There was no saved login.'));
    });

  program
    .command('config')
    .description('Which API and key commands use, and where each comes from (the key shown by its prefix only)')
    .action((_options, command: Command) => {
      const ctx = contextOf(command);
      const source = configSource(ctx.env, (line) => ctx.out.note(line));
      const shown = {
        url: source.url ?? null,
        urlFrom: source.from.url ?? null,
        apiKey: source.apiKey ? `${source.apiKey.slice(0, 12)}…` : null,
        apiKeyFrom: source.from.apiKey ?? null,
        file: configFile(ctx.env),
      };
      ctx.out.result(shown, (s) =>
        fields([
          ['url', s.url && `${s.url} (from ${s.urlFrom})`],
          ['api key', s.apiKey && `${s.apiKey} (from ${s.apiKeyFrom})`],
          ['login file', s.file],
        ]),
      );
    });
}
