/**
 * The VM's hostname: unique per run, node and index, so a create whose response
 * was lost (no id, no tag written yet) can still find the VM it made by name.
 * CloudStack wants a hostname label: letters, digits and hyphens, starting with
 * a letter, at most 63 characters.
 */
import { createHash } from 'node:crypto';
import type { InstanceTag } from '#connectors/contract';

const MAX_LABEL = 63;

function label(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `web`, 2, `run_01j…` → `web-2-run-01j…`; a long node name is cut and made unique with a short hash. */
export function vmName(tag: InstanceTag): string {
  const suffix = `-${tag.index}-${label(tag.run) || 'run'}`;
  let node = label(tag.node) || 'vm';
  if (!/^[a-z]/.test(node)) node = `n-${node}`;
  const room = MAX_LABEL - suffix.length;
  if (node.length > room) {
    const hash = createHash('sha256').update(tag.node).digest('hex').slice(0, 6);
    node = `${node.slice(0, Math.max(1, room - 7)).replace(/-+$/, '')}-${hash}`;
  }
  return `${node}${suffix}`.slice(0, MAX_LABEL).replace(/-+$/, '');
}
