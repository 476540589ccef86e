/** Projects as the other pages show them: a resource's path, and its project as a link to the Projects page. */
import { Link } from './router';

/** The Projects page with `project` chosen (`/`: the top level). */
export const projectHref = (project: string | undefined) => `/projects?${new URLSearchParams({ project: project ?? '/' }).toString()}`;

export { pathOf } from '#functions/schemas/project-paths';

/** The project a resource lives in, as a link to it on the Projects page; the top level when it has none. */
export function ProjectLink({ project }: { project: string | undefined }) {
  return project ? (
    <Link href={projectHref(project)} aria-label={`Project ${project}`}>
      {project}
    </Link>
  ) : (
    <span class="muted">top level</span>
  );
}
