/** The project rules in plain code: a resource's path, the paths a reference may mean, and which projects a listing's filter keeps. */
import { describe, expect, it } from 'vitest';
import { candidatePaths, inProject, pathOf, projectFilterOf } from '#functions/domain/projects';
import { ProjectPath, ProjectQuery } from '#functions/schemas/common';

describe('pathOf', () => {
  it('joins the project and the name, and is the name alone at the top level', () => {
    expect(pathOf({ project: 'shop/backend', name: 'mysql' })).toBe('shop/backend/mysql');
    expect(pathOf({ name: 'mysql' })).toBe('mysql');
  });
});

describe('candidatePaths', () => {
  it('tries a bare name in the referring project first, then at the top level', () => {
    expect(candidatePaths('mysql', 'shop/backend')).toEqual(['shop/backend/mysql', 'mysql']);
  });

  it('takes a path (it has a "/") as written, wherever it is used', () => {
    expect(candidatePaths('base/ubuntu', 'shop/backend')).toEqual(['base/ubuntu']);
  });

  it('takes a bare name used outside any project as the top level’s', () => {
    expect(candidatePaths('mysql')).toEqual(['mysql']);
  });
});

describe('projectFilterOf and inProject', () => {
  it('keeps everything without ?project=', () => {
    expect(projectFilterOf({})).toBeUndefined();
  });

  it('keeps exactly one project', () => {
    const filter = projectFilterOf({ project: 'shop' })!;
    expect([undefined, 'shop', 'shop/backend', 'shopping'].map((p) => inProject(p, filter))).toEqual([false, true, false, false]);
  });

  it('keeps a project and everything below it with subprojects=true, and not a project it prefixes by name only', () => {
    const filter = projectFilterOf({ project: 'shop', subprojects: 'true' })!;
    expect([undefined, 'shop', 'shop/backend', 'shop/backend/api', 'shopping'].map((p) => inProject(p, filter))).toEqual([false, true, true, true, false]);
  });

  it('reads "/" as the top level: only resources in no project, or everything with subprojects', () => {
    const top = projectFilterOf({ project: '/' })!;
    const all = projectFilterOf({ project: '/', subprojects: 'true' })!;
    expect([undefined, 'shop'].map((p) => inProject(p, top))).toEqual([true, false]);
    expect([undefined, 'shop'].map((p) => inProject(p, all))).toEqual([true, true]);
  });
});

describe('ProjectPath', () => {
  it('takes 1 to 8 names joined by "/"', () => {
    for (const good of ['shop', 'shop/backend', 'a/b/c/d/e/f/g/h', 'team.one/app_2-x']) expect(ProjectPath.safeParse(good).success, good).toBe(true);
  });

  it('refuses upper case, empty levels, leading or trailing "/", more than 8 levels and over 128 characters', () => {
    for (const bad of ['Shop', 'shop//x', '/shop', 'shop/', 'a/b/c/d/e/f/g/h/i', `${'a'.repeat(64)}/${'b'.repeat(64)}`, 'shop backend', '-x'])
      expect(ProjectPath.safeParse(bad).success, bad).toBe(false);
  });

  it('lets ?project= be "/" (the top level) but no other non-path', () => {
    expect(ProjectQuery.safeParse({ project: '/' }).success).toBe(true);
    expect(ProjectQuery.safeParse({ project: '//' }).success).toBe(false);
  });
});
