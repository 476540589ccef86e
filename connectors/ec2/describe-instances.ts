/**
 * Reading instances back by Slipway's tags: the bulk list (one paginated
 * DescribeInstances per account, or per run) and the look-up a create does first.
 */
import type { Filter, Instance } from '@aws-sdk/client-ec2';
import { ec2Sdk } from './sdk';
import type { CloudInstance, InstanceTag } from '#connectors/contract';
import { TAG_NAMES, tagKey, tagPairs } from '#connectors/commons/tag';
import { ec2Call, type Ec2Context } from './context';
import { HOLDING_STATE_NAMES } from './instance-state';
import { toCloudInstance } from './to-cloud-instance';

/** Instances per page: big enough that a run's VMs come in one request, within EC2's 5..1000. */
export const DESCRIBE_PAGE_SIZE = 200;

/** Every page of DescribeInstances for `filters` (EC2 may answer a filtered page empty with a NextToken: keep going). */
async function describeAll(ctx: Ec2Context, filters: Filter[]): Promise<Instance[]> {
  return ec2Call(ctx, 'DescribeInstances', async () => {
    const instances: Instance[] = [];
    const { paginateDescribeInstances } = await ec2Sdk();
    const pages = paginateDescribeInstances({ client: await ctx.client(), pageSize: DESCRIBE_PAGE_SIZE }, { Filters: filters });
    for await (const page of pages) {
      for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
    }
    return instances;
  });
}

/**
 * Every Slipway-tagged VM of the account in the connector's region, terminated
 * ones included while EC2 still shows them; `run` narrows it to one run.
 */
export async function listEc2Instances(ctx: Ec2Context, filter: { run?: string } = {}): Promise<CloudInstance[]> {
  const byRun = filter.run !== undefined;
  const filters: Filter[] = [byRun ? { Name: `tag:${TAG_NAMES.run}`, Values: [filter.run!] } : { Name: 'tag-key', Values: [TAG_NAMES.run] }];
  const vms = (await describeAll(ctx, filters)).map(toCloudInstance);
  // Tag filters take `*` and `?` as wildcards: only an exact match is this run's VM.
  return byRun ? vms.filter((vm) => vm.tag?.run === filter.run) : vms;
}

/**
 * The VM that holds `tag` (pending, running, stopping or stopped), preferring one
 * that is up; undefined when there is none, or only shutting-down or terminated ones.
 */
export async function findEc2InstanceByTag(ctx: Ec2Context, tag: InstanceTag): Promise<CloudInstance | undefined> {
  const filters: Filter[] = Object.entries(tagPairs(tag)).map(([name, value]) => ({ Name: `tag:${name}`, Values: [value] }));
  filters.push({ Name: 'instance-state-name', Values: [...HOLDING_STATE_NAMES] });
  const held = (await describeAll(ctx, filters)).map(toCloudInstance).filter((vm) => vm.tag && tagKey(vm.tag) === tagKey(tag));
  return held.find((vm) => vm.state === 'running' || vm.state === 'pending') ?? held[0];
}

/** One instance by id, whatever its state; undefined when EC2 does not (or no longer) list it. */
export async function findEc2InstanceById(ctx: Ec2Context, instanceId: string): Promise<CloudInstance | undefined> {
  // The `instance-id` filter answers an empty list for an unknown id, where InstanceIds would fail the call.
  return (await describeAll(ctx, [{ Name: 'instance-id', Values: [instanceId] }])).map(toCloudInstance)[0];
}
