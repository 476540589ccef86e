/** `slipway projects`: the projects that hold your images, deployments and products, with how many of each. */
import type { Command } from 'commander';
import type { ProjectSummaryT } from '../api-types';
import { contextOf } from '../context';

export function registerProjects(program: Command): void {
  program
    .command('projects')
    .description('Your projects that hold something (by path), with how many images, deployments and products each holds directly')
    .addHelpText(
      'after',
      '\nPut resources in one with apply --project (or project: in the file); list one with images|deployments|products --project P [--subprojects].',
    )
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const projects = await ctx.client().listAll<ProjectSummaryT>('/projects');
      ctx.out.list(
        projects,
        [
          { header: 'path', value: (p) => p.path },
          { header: 'images', value: (p) => p.images },
          { header: 'deployments', value: (p) => p.deployments },
          { header: 'products', value: (p) => p.products },
        ],
        'No projects (slipway apply --project shop/backend -f app.yaml puts resources in one).',
      );
    });
}
