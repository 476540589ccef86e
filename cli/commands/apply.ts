/** `slipway apply -f app.yaml`: show what would change, ask (or take --yes), apply. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAppFile } from '../apply/app-file';
import { executePlan } from '../apply/execute';
import { planApply } from '../apply/plan';
import { planJson, showPlan } from '../apply/show-plan';
import { contextOf } from '../context';
import { CliError, EXIT, UsageError } from '../exit-codes';
import { confirm } from '../prompt';
import { pathOf } from '../projects';
import { table } from '../render';

function readSource(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description(
      'Create or update the images, deployments and products a YAML file declares (top-level images:, deployments:, products:, project:), after showing the plan',
    )
    .requiredOption('-f, --file <path>', 'the YAML file (- for stdin)')
    .option('-p, --project <path>', "the project (e.g. shop/backend) of every image, deployment and product that names none (overrides the file's project:)")
    .option('-y, --yes', 'apply without asking (pipelines)')
    .option('--dry-run', 'show the plan and change nothing')
    .addHelpText(
      'after',
      [
        '',
        "Resources are matched by path (project/name, or the name at the top level). References (parent, a node's image, a product's deployment) are sent",
        "as written: a bare name means the resource's own project's first, then the top level's.",
        'Unchanged resources get no new version. Without --yes, apply asks on the terminal; with no terminal it refuses (exit 2).',
      ].join('\n'),
    )
    .action(async (options: { file: string; project?: string; yes?: boolean; dryRun?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const file = parseAppFile(readSource(options.file), options.file, { project: options.project });
      const client = ctx.client();
      const plan = await planApply(client, file);
      const pending = plan.changes.some((c) => c.action !== 'unchanged');
      const json = ctx.out.format === 'json';
      if (!json) ctx.out.line(showPlan(plan));
      if (!pending || options.dryRun) {
        if (json) ctx.out.line(JSON.stringify({ changes: planJson(plan), applied: [] }, null, 2));
        else ctx.out.line(pending ? '\nDry run: nothing was changed.' : '\nNothing to change.');
        return;
      }
      if (!options.yes) {
        if (!ctx.stdin.isTTY || !process.stderr.isTTY) {
          throw new CliError('Refusing to apply without confirmation: there is no terminal to ask on. Pass --yes to apply (e.g. in a pipeline).', EXIT.usage);
        }
        if (json) ctx.out.note(showPlan(plan));
        if (!(await confirm('\nApply these changes?', ctx.stdin, process.stderr))) throw new CliError('Nothing was changed.', EXIT.failure);
      }
      const applied = await executePlan(client, plan);
      if (json) return ctx.out.line(JSON.stringify({ changes: planJson(plan), applied }, null, 2));
      const done = applied.filter((a) => a.action !== 'unchanged');
      ctx.out.line(
        `\nApplied:\n${table(done, [
          { header: 'kind', value: (a) => a.kind },
          { header: 'name', value: (a) => pathOf(a) },
          { header: 'action', value: (a) => (a.action === 'create' ? 'created' : 'updated') },
          { header: 'id', value: (a) => a.id },
          { header: 'version', value: (a) => a.version },
        ])}`,
      );
    });
}
