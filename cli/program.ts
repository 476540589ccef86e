/** The `slipway` command line: every command, the global options, and how outcomes map to exit codes. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { registerAccount } from './commands/account';
import { registerApply } from './commands/apply';
import { registerBilling } from './commands/billing';
import { registerBuilds } from './commands/builds';
import { registerConnectors } from './commands/connectors';
import { registerCredentials } from './commands/credentials';
import { registerLogin } from './commands/login';
import { registerMigrate } from './commands/migrate';
import { registerOrders } from './commands/orders';
import { registerProducts } from './commands/products';
import { registerProjects } from './commands/projects';
import { registerResources } from './commands/resources';
import { registerRun } from './commands/run';
import { registerRuns } from './commands/runs';
import { registerScale } from './commands/scale';
import { registerUsers } from './commands/users';
import { CliError, EXIT } from './exit-codes';
import { OUTPUT_FORMATS } from './render';

const EXIT_HELP = `
Configuration: SLIPWAY_URL and SLIPWAY_API_KEY, else what \`slipway login\` saved.

Exit codes:
  0    done (run --wait: the run is Ready; scale --wait: Ready with the new count; migrate --wait: the new run
       Ready and the old one Done; build --wait: every build Succeeded; order --wait: the order is Active)
  1    the API refused or failed, a run ended Aborted, a scale rolled back, a migration or a build failed,
       an order Failed (or ended before Active), a launch or migration plan has refusals
  2    wrong command line or input file (nothing changed), or apply needs --yes with no terminal
  3    not found or not allowed (401, 403, 404), or no URL / API key configured
  4    --wait timed out (the run or order goes on)
  130  interrupted while waiting (the run or order goes on)`;

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export function buildProgram(): Command {
  const program = new Command('slipway')
    .description('Deploy applications onto the clouds of your choice: the Slipway API from the command line')
    .version(version())
    .addOption(new Option('-o, --output <format>', 'table or json').choices(OUTPUT_FORMATS).default('table'))
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(slipway --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_HELP);
  registerLogin(program);
  registerApply(program);
  registerRun(program);
  registerRuns(program);
  registerScale(program);
  registerMigrate(program);
  registerAccount(program);
  registerResources(program);
  registerProjects(program);
  registerBuilds(program);
  registerConnectors(program);
  registerCredentials(program);
  registerUsers(program);
  registerProducts(program);
  registerOrders(program);
  registerBilling(program);
  return program;
}

/** Runs the command line `argv` (without node and the script) and resolves with the exit code. */
export async function runCli(argv: string[], stderr: { write(text: string): unknown } = process.stderr): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    // Commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof CliError) {
      stderr.write(`slipway: ${error.message}\n`);
      return error.exitCode;
    }
    stderr.write(`slipway: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.failure;
  }
}
