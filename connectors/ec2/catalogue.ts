/**
 * The look-ups an admin needs when setting up images and sizes for an `ec2`
 * connector: the account's own AMIs, the instance types and the availability
 * zones of the connector's region, each read live and in full (paginated).
 */
import { ec2Sdk } from './sdk';
import { ec2Call, type Ec2Context } from './context';

/** DescribeInstanceTypes takes at most 100 per page. */
const TYPES_PAGE_SIZE = 100;
/** DescribeImages pages, within its 5..1000. */
const IMAGES_PAGE_SIZE = 500;

/**
 * AMIs the account owns and that can be launched now. Public AMIs are left out:
 * there are tens of thousands per region; a public AMI id is still accepted on an image.
 */
export async function listEc2Images(ctx: Ec2Context): Promise<{ id: string; name: string }[]> {
  return ec2Call(ctx, 'DescribeImages', async () => {
    const images: { id: string; name: string }[] = [];
    const { paginateDescribeImages } = await ec2Sdk();
    const pages = paginateDescribeImages({ client: await ctx.client(), pageSize: IMAGES_PAGE_SIZE }, { Owners: ['self'] });
    for await (const page of pages) {
      for (const image of page.Images ?? []) {
        if (!image.ImageId || (image.State !== undefined && image.State !== 'available')) continue;
        images.push({ id: image.ImageId, name: image.Name ?? image.ImageId });
      }
    }
    return images;
  });
}

/** Instance types offered in the region, with vCPUs and memory (MiB). */
export async function listEc2InstanceTypes(ctx: Ec2Context): Promise<{ id: string; name: string; cpu?: number; ramMb?: number }[]> {
  return ec2Call(ctx, 'DescribeInstanceTypes', async () => {
    const types: { id: string; name: string; cpu?: number; ramMb?: number }[] = [];
    const { paginateDescribeInstanceTypes } = await ec2Sdk();
    for await (const page of paginateDescribeInstanceTypes({ client: await ctx.client(), pageSize: TYPES_PAGE_SIZE }, {})) {
      for (const type of page.InstanceTypes ?? []) {
        if (!type.InstanceType) continue;
        const cpu = type.VCpuInfo?.DefaultVCpus;
        const ramMb = type.MemoryInfo?.SizeInMiB;
        types.push({ id: type.InstanceType, name: type.InstanceType, ...(cpu === undefined ? {} : { cpu }), ...(ramMb === undefined ? {} : { ramMb }) });
      }
    }
    return types;
  });
}

/** Availability zones of the region, by name (what `Placement.AvailabilityZone` takes). */
export async function listEc2Zones(ctx: Ec2Context): Promise<{ id: string; name: string }[]> {
  const reply = await ec2Call(ctx, 'DescribeAvailabilityZones', async () => {
    const { DescribeAvailabilityZonesCommand } = await ec2Sdk();
    return (await ctx.client()).send(new DescribeAvailabilityZonesCommand({}));
  });
  return (reply.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName ? [{ id: zone.ZoneName, name: zone.ZoneName }] : []));
}
