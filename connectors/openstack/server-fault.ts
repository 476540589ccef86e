/**
 * What a failed server's `fault` means for a retry. Nova's scheduler reports a
 * full cloud as "No valid host was found" (and, after retries on several hosts,
 * "Exhausted all hosts available"): that is a CapacityError, which a retry later
 * or elsewhere may cure. Other faults with a 5xx code are transient; the rest permanent.
 */
import { CapacityError, PermanentCloudError, TransientCloudError, type CloudError } from '#connectors/errors';
import { truncate } from '#connectors/commons/http';
import type { NovaServer } from './nova-server';
import { faultText } from './server-state';

const CAPACITY = /no valid host|exhausted all hosts|insufficient (compute )?resources/i;

/** The error a server's fault stands for; undefined when it has none. */
export function faultError(server: NovaServer, what: string): CloudError | undefined {
  const fault = server.fault;
  if (!fault) return undefined;
  const text = [fault.message, fault.details].filter(Boolean).join(' — ');
  const cause = new Error(`fault ${String(fault.code ?? '')}: ${text}`);
  const summary = truncate(faultText(server) ?? 'no message', 200);
  if (CAPACITY.test(text)) return new CapacityError(`${what}: the cloud has no room for the VM (no valid host was found): ${summary}`, { cause });
  if (Number(fault.code) >= 500) return new TransientCloudError(`${what}: the VM failed in the cloud: ${summary}`, { cause });
  return new PermanentCloudError(`${what}: the cloud refused the VM: ${summary}`, { cause });
}
