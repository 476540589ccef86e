/**
 * RunInstances' ClientToken, derived from the VM's tag: every retry of a create,
 * in any Lambda, sends the same token, so EC2 itself returns the VM it already
 * made (../shared/docs/cloud-apis.md §4.3).
 */
import { createHash } from 'node:crypto';
import type { InstanceTag } from '#connectors/contract';
import { tagKey } from '#connectors/commons/tag';

/**
 * The token for `tag`: 64 hex characters (EC2's maximum). `generation` moves to a
 * fresh token when the VM of an earlier one was terminated, which happens when a
 * run re-creates an index it removed (scale down, then up); EC2 keeps a token
 * bound to its terminated VM for at least a day.
 */
export function clientToken(tag: InstanceTag, generation = 0): string {
  const seed = generation === 0 ? tagKey(tag) : `${tagKey(tag)}#${generation}`;
  return createHash('sha256').update(`slipway-run-instances\u0000${seed}`).digest('hex');
}
