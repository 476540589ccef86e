/**
 * Projects: where images, deployments and products live (SlipStream's containment).
 * A project is a path of names (`shop/backend`); how a path or a bare name names a
 * resource is in `functions/schemas/project-paths.ts` (shared with the CLI and the
 * console); which resources a listing's `?project=` keeps is here.
 */
export { candidatePaths, pathOf, type Placed } from '#functions/schemas/project-paths';

/** What `?project=` says for the top level (resources in no project). */
export const TOP_LEVEL = '/';

/** Which resources a listing keeps: those of one project (`undefined`: the top level), or of it and every project below it. */
export interface ProjectFilter {
  project: string | undefined;
  subprojects: boolean;
}

/** The filter a listing's `?project=&subprojects=` asks for; none without `project`. */
export function projectFilterOf(query: { project?: string; subprojects?: 'true' | 'false' }): ProjectFilter | undefined {
  if (query.project === undefined) return undefined;
  return { project: query.project === TOP_LEVEL ? undefined : query.project, subprojects: query.subprojects === 'true' };
}

/** True when a resource in `project` is one the filter keeps. */
export function inProject(project: string | undefined, filter: ProjectFilter): boolean {
  if (filter.project === undefined) return filter.subprojects || project === undefined;
  return project === filter.project || (filter.subprojects && !!project?.startsWith(`${filter.project}/`));
}
