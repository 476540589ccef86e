/** How an EC2 instance reads as a `CloudInstance`. */
import type { Instance } from '@aws-sdk/client-ec2';
import type { CloudInstance } from '#connectors/contract';
import { readTag } from '#connectors/commons/tag';
import { mapEc2State } from './instance-state';

/**
 * The instance's id, Slipway tag, states and address. The address is the public
 * IPv4 when the VM has one (what users and other clouds' VMs can reach), else the
 * private one; a terminated VM has none, as EC2 releases them.
 */
export function toCloudInstance(instance: Instance): CloudInstance {
  const { state, rawState } = mapEc2State(instance.State, instance.StateReason?.Code);
  const pairs = Object.fromEntries((instance.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value]])));
  const tag = readTag(pairs);
  const ip = state === 'terminated' ? undefined : (instance.PublicIpAddress ?? instance.PrivateIpAddress);
  return {
    cloudId: instance.InstanceId ?? '',
    ...(tag ? { tag } : {}),
    state,
    rawState,
    ...(ip ? { ip } : {}),
  };
}
