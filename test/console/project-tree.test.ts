/** The Projects page's tree from `GET /v1/projects`' paths: parents derived, children sorted, counts worded. */
import { describe, expect, it } from 'vitest';
import { countsText, projectTree, type ProjectNode } from '../../console/src/project-tree';

const summary = (path: string, images = 0, deployments = 0, products = 0) => ({ path, images, deployments, products });
/** The tree as `path(direct counts or -)` lines, indented by depth. */
const outline = (nodes: ProjectNode[], depth = 0): string[] =>
  nodes.flatMap((n) => [
    `${'  '.repeat(depth)}${n.name} ${n.summary ? `${n.summary.images}/${n.summary.deployments}/${n.summary.products}` : '-'}`,
    ...outline(n.children, depth + 1),
  ]);

describe('projectTree', () => {
  it('derives the parents a listing leaves out and nests every path under them', () => {
    const tree = projectTree([summary('shop/backend', 2, 1), summary('shop/frontend/web', 0, 1), summary('tools', 1)]);

    expect(outline(tree)).toEqual(['shop -', '  backend 2/1/0', '  frontend -', '    web 0/1/0', 'tools 1/0/0']);
    expect(tree[0]!.children.map((c) => c.path)).toEqual(['shop/backend', 'shop/frontend']);
  });

  it('keeps a listed parent’s own counts whatever the order of the listing, and sorts siblings by name', () => {
    const tree = projectTree([summary('b/z'), summary('a', 0, 0, 3), summary('b/a', 1), summary('b', 4)]);

    expect(outline(tree)).toEqual(['a 0/0/3', 'b 4/0/0', '  a 1/0/0', '  z 0/0/0']);
  });

  it('is empty without projects', () => {
    expect(projectTree([])).toEqual([]);
  });
});

describe('countsText', () => {
  it('words the direct counts, singular for one, and says when a derived parent holds nothing itself', () => {
    expect(countsText(summary('x', 2, 1, 0))).toBe('2 images · 1 deployment · 0 products');
    expect(countsText(undefined)).toBe('nothing directly');
  });
});
