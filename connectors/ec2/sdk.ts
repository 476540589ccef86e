/**
 * The EC2 SDK, loaded at first use. It is the largest module any function loads
 * (about 125 ms of import on a cold start): only a function that actually opens an
 * `ec2` connector pays for it, not every function that could.
 */
export type Ec2Sdk = typeof import('@aws-sdk/client-ec2');

let loading: Promise<Ec2Sdk> | undefined;

export function ec2Sdk(): Promise<Ec2Sdk> {
  loading ??= import('@aws-sdk/client-ec2');
  return loading;
}
