/**
 * Seeded fault injection: whether a create attempt fails, and how, is a pure
 * function of the connector's seed, the VM's tag and the attempt number, so a
 * scenario with failures replays identically from one test run to the next.
 */
import { createHash } from 'node:crypto';
import type { SimSettings } from './settings';

/**
 * What happens to one create attempt:
 * - `none`: the VM is made (or found) and returned;
 * - `permanent`: refused, no VM made;
 * - `transient`: refused, no VM made, a retry may succeed;
 * - `lostResponse`: the VM is made, then the call fails as if the response were
 *   lost on the way back, which only an idempotent create survives.
 */
export type SimFault = 'none' | 'permanent' | 'transient' | 'lostResponse';

/** 2^48: six bytes of the hash give a uniform number with plenty of resolution. */
const SCALE = 2 ** 48;

/** A number in [0, 1), uniformly spread and fully determined by its inputs. */
export function seededUniform(seed: number, tagKey: string, attempt: number): number {
  const digest = createHash('sha256').update(`${seed}\u0000${tagKey}\u0000${attempt}`).digest();
  return digest.readUIntBE(0, 6) / SCALE;
}

/**
 * Draws the fault for one attempt. One uniform number decides everything: below
 * `permanentFailureRate` the attempt fails for good; in the next
 * `transientFailureRate` slice it fails transiently, the lower half of that slice
 * after making the VM (`lostResponse`).
 */
export function simFaultFor(settings: Pick<SimSettings, 'seed' | 'permanentFailureRate' | 'transientFailureRate'>, tagKey: string, attempt: number): SimFault {
  const u = seededUniform(settings.seed, tagKey, attempt);
  if (u < settings.permanentFailureRate) return 'permanent';
  const intoTransient = u - settings.permanentFailureRate;
  if (intoTransient < settings.transientFailureRate) {
    return intoTransient < settings.transientFailureRate / 2 ? 'lostResponse' : 'transient';
  }
  return 'none';
}
