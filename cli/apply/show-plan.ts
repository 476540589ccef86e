/** An apply plan as a person reads it: a summary, then each resource with `+` (create), `~` (update) or `=` (unchanged) and its fields. */
import type { FieldChange } from './field-diff';
import type { ApplyPlan, Change } from './plan';

const MARK = { create: '+', update: '~', unchanged: '=' } as const;

const isEmpty = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length === 0;

/** References are held as ids; show the name where it is known. */
function shown(path: string, value: unknown, names: Map<string, string>): string {
  if (value === undefined) return '';
  const isRef = /^(parent|nodes\[\d+\]\.image|deployment)$/.test(path) && typeof value === 'string';
  if (isRef) return value.startsWith('new:') ? `${value.slice(4)} (new)` : (names.get(value) ?? value);
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

function fieldLine(change: FieldChange, action: Change['action'], names: Map<string, string>): string {
  if (action === 'create') return `      ${change.path}: ${shown(change.path, change.to, names)}`;
  if (change.from === undefined) return `    + ${change.path}: ${shown(change.path, change.to, names)}`;
  if (change.to === undefined) return `    - ${change.path}: ${shown(change.path, change.from, names)}`;
  return `    ~ ${change.path}: ${shown(change.path, change.from, names)} → ${shown(change.path, change.to, names)}`;
}

export function summary(plan: ApplyPlan): string {
  const count = (action: Change['action']) => plan.changes.filter((c) => c.action === action).length;
  return `Plan: ${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged.`;
}

export function showPlan(plan: ApplyPlan): string {
  const lines = [summary(plan), ''];
  for (const change of plan.changes) {
    const version =
      change.action === 'update'
        ? `  (version ${change.current!.version} → ${change.current!.version + 1})`
        : change.current
          ? `  (version ${change.current.version})`
          : '';
    lines.push(`  ${MARK[change.action]} ${change.kind} ${change.path}${version}`);
    // A new resource's name is in its heading, and its empty maps and lists say nothing.
    const shownFields = change.action === 'create' ? change.diff.filter((f) => f.path !== 'name' && !isEmpty(f.to)) : change.diff;
    if (change.action !== 'unchanged') lines.push(...shownFields.map((field) => fieldLine(field, change.action, plan.imageNames)));
  }
  return lines.join('\n');
}

/** The plan as `--output json` gives it: references by name where known. */
export function planJson(plan: ApplyPlan) {
  return plan.changes.map((change) => ({
    kind: change.kind,
    name: change.name,
    ...(change.project ? { project: change.project } : {}),
    path: change.path,
    action: change.action,
    ...(change.current ? { id: change.current.id, version: change.current.version } : {}),
    diff: change.diff.map((field) => ({
      path: field.path,
      ...(field.from === undefined ? {} : { from: field.from }),
      ...(field.to === undefined ? {} : { to: field.to }),
    })),
  }));
}
