/**
 * deleteImage, idempotent and complete: `DeregisterImage` (an AMI EC2 no longer
 * knows is deregistered already), then the EBS snapshots CreateImage made for it,
 * which deregistering leaves behind (and bills). They are found by the description
 * EC2 gives them, "Created by CreateImage(<instance>) for <ami>…", so a retry after
 * the AMI is gone still finds and deletes them. Snapshots used by another AMI are left.
 */
import { ec2Call, type Ec2Context } from './context';
import { IMAGE_NOT_FOUND_CODES, SNAPSHOT_LEFT_ALONE_CODES, errorCode } from './error-codes';
import { ec2Sdk } from './sdk';

export async function deleteEc2Image(ctx: Ec2Context, imageId: string): Promise<void> {
  await ec2Call(ctx, 'DeregisterImage', async () => {
    const { DeregisterImageCommand } = await ec2Sdk();
    try {
      await (await ctx.client()).send(new DeregisterImageCommand({ ImageId: imageId }));
    } catch (error) {
      if (!IMAGE_NOT_FOUND_CODES.has(errorCode(error) ?? '')) throw error;
    }
  });
  const snapshotIds = await ec2Call(ctx, 'DescribeSnapshots', async () => {
    const { paginateDescribeSnapshots } = await ec2Sdk();
    const ids: string[] = [];
    const filters = [{ Name: 'description', Values: [`Created by CreateImage(*) for ${imageId}*`] }];
    for await (const page of paginateDescribeSnapshots({ client: await ctx.client() }, { OwnerIds: ['self'], Filters: filters })) {
      for (const snapshot of page.Snapshots ?? []) if (snapshot.SnapshotId) ids.push(snapshot.SnapshotId);
    }
    return ids;
  });
  for (const snapshotId of snapshotIds) {
    await ec2Call(ctx, 'DeleteSnapshot', async () => {
      const { DeleteSnapshotCommand } = await ec2Sdk();
      try {
        await (await ctx.client()).send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
      } catch (error) {
        if (!SNAPSHOT_LEFT_ALONE_CODES.has(errorCode(error) ?? '')) throw error;
      }
    });
  }
}
