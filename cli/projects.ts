/** Projects on the command line: `--project P [--subprojects]` of the lists, and paths (`project/name`) as the API names resources. */
import type { Command } from 'commander';
import type { Query } from './client';
import { UsageError } from './exit-codes';

export { candidatePaths, pathOf } from '#functions/schemas/project-paths';

export interface ProjectOptions {
  project?: string;
  subprojects?: boolean;
}

/** Adds `--project` and `--subprojects` to a list command. */
export function withProjectOptions(command: Command): Command {
  return command
    .option('-p, --project <path>', 'only this project (e.g. shop/backend; / for the top level)')
    .option('--subprojects', 'with --project: also every project below it');
}

/** The list's `?project=&subprojects=`. @throws UsageError for --subprojects without --project */
export function projectQuery(options: ProjectOptions): Query {
  if (options.subprojects && options.project === undefined)
    throw new UsageError('--subprojects lists what is below a --project: give one (/ for the top level)');
  return { project: options.project, subprojects: options.subprojects ? 'true' : undefined };
}
