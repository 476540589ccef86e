/**
 * How a path names a resource in a project, shared by the API, the CLI and the console
 * (no zod here, so the console's bundle can take it): a resource's path is its project's
 * path and its name (`shop/backend/mysql`), or just its name at the top level. Names hold
 * no "/", so a path splits one way only.
 */

/** Where a resource is: its project (none: the top level) and its name. */
export interface Placed {
  project?: string;
  name: string;
}

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
