/**
 * What an admin may set on an `ec2` connector, and the credential it expects.
 * The schemas are the one source of validation and of the types.
 */
import * as z from 'zod';
import type { ConnectorConfig, ConnectorKindInfo } from '#connectors/contract';

/** An EC2 resource id: every EC2-compatible API keeps AWS's prefixes, so a typo is caught at once. */
const resourceId = (prefix: string) =>
  z
    .string()
    .max(255)
    .refine((id) => id.startsWith(prefix) && id.length > prefix.length, { error: `must be an id starting with ${prefix}` });

export const ec2SettingsSchema = z.strictObject({
  /** Subnet the VMs get their network interface in; the account's default VPC when absent. */
  subnetId: resourceId('subnet-').optional(),
  /** Security groups of the VMs (ids, not names, as VPC subnets need); the VPC's default group when absent. */
  securityGroupIds: z.array(resourceId('sg-')).min(1).max(5).optional(),
  /** Key pair installed for SSH; none when absent. */
  keyName: z.string().min(1).max(255).optional(),
  /** Requests per second Slipway may send to this connector per credential (read by the rate budget). */
  requestsPerSecond: z.number().positive().max(1000).optional(),
});

export type Ec2Settings = z.output<typeof ec2SettingsSchema>;

/** An IAM access key (or the key pair of any EC2-compatible cloud). */
export const ec2SecretsSchema = z.strictObject({
  accessKeyId: z.string().min(1).max(128),
  secretAccessKey: z.string().min(1).max(256),
});

export type Ec2Secrets = z.output<typeof ec2SecretsSchema>;

/**
 * Seconds between boot polls. An EC2 VM is `running` 10 to 60 s after
 * RunInstances; polling every 3 s sees it at most 3 s late while one bulk
 * DescribeInstances per run and poll stays far below EC2's describe bucket
 * (refilled at 20 requests per second per account and region).
 */
export function ec2PollSeconds(_config: ConnectorConfig): number {
  return 3;
}

/** The `ec2` kind as the API knows it (its client code is in `ec2-kind.ts`). */
export const ec2KindInfo: ConnectorKindInfo = {
  kind: 'ec2',
  settingsSchema: ec2SettingsSchema,
  secretsSchema: ec2SecretsSchema,
  pollSeconds: ec2PollSeconds,
};
