/**
 * Projects: where images, deployments and products live (SlipStream's containment),
 * and how a reference names one of them. A project is a path of names (`shop/backend`);
 * a resource's path is its project's path and its name (`shop/backend/mysql`), or just
 * its name at the top level. Names hold no "/", so a path splits one way only.
 */

/** Where a resource is: its project (none: the top level) and its name. */
export interface Placed {
  project?: string;
  name: string;
}

/** What `?project=` says for the top level (resources in no project). */
export const TOP_LEVEL = '/';

/** A resource's path: `<project>/<name>`, or its name at the top level. Unique among one owner's resources of a type. */
export const pathOf = ({ project, name }: Placed): string => (project ? `${project}/${name}` : name);

/**
 * The paths a reference may mean, in the order they are tried: a path (it has a "/")
 * means itself; a bare name used inside a project means that project's resource
 * first, then the top level's (so `image: mysql` in `shop/backend` finds
 * `shop/backend/mysql`, or the shared base `mysql`).
 */
export function candidatePaths(ref: string, within?: string): string[] {
  return ref.includes('/') || !within ? [ref] : [pathOf({ project: within, name: ref }), ref];
}

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
