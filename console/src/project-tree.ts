/** The Projects page's tree, from the paths `GET /v1/projects` lists: pure, so it is tested without a browser. */
import type { ProjectSummary } from './types';

export interface ProjectNode {
  path: string;
  /** The last segment of the path. */
  name: string;
  /** What the project holds directly; absent for a parent derived from its children's paths. */
  summary?: ProjectSummary;
  children: ProjectNode[];
}

/** The tree of `projects`' paths, every ancestor included (derived when not listed), children sorted by name. */
export function projectTree(projects: readonly ProjectSummary[]): ProjectNode[] {
  const byPath = new Map<string, ProjectNode>();
  const roots: ProjectNode[] = [];
  const nodeFor = (path: string): ProjectNode => {
    let node = byPath.get(path);
    if (node) return node;
    const cut = path.lastIndexOf('/');
    node = { path, name: path.slice(cut + 1), children: [] };
    byPath.set(path, node);
    (cut < 0 ? roots : nodeFor(path.slice(0, cut)).children).push(node);
    return node;
  };
  for (const project of projects) nodeFor(project.path).summary = project;
  const sort = (nodes: ProjectNode[]) => {
    nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const node of nodes) sort(node.children);
  };
  sort(roots);
  return roots;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "2 images · 1 deployment · 0 products", or that a derived parent holds nothing itself. */
export function countsText(summary: ProjectSummary | undefined): string {
  if (!summary) return 'nothing directly';
  return [plural(summary.images, 'image'), plural(summary.deployments, 'deployment'), plural(summary.products, 'product')].join(' · ');
}
