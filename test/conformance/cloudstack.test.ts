/**
 * `cloudstack` against the conformance suite, over the fake CloudStack with its
 * signature checks on. Injected 5xx are off: the suite calls the connector
 * directly, without the state machine's retries (the end-to-end test has them on).
 */
import type { ConnectorConfig } from '#connectors/contract';
import { openCloudStack } from '#connectors/cloudstack/cloudstack-kind';
import { startFakeCloudStack } from '#test/fakes/cloudstack/server';
import { describeConformance } from './conformance';

describeConformance({
  kind: 'cloudstack',
  async setup() {
    const fake = await startFakeCloudStack({ deployJobMs: 300, jobMs: 100, transientEvery: 0 });
    const config: ConnectorConfig = {
      name: 'cs-conf',
      kind: 'cloudstack',
      endpoint: fake.endpoint,
      zone: 'CH-GV2',
      maxIaasWorkers: 2,
      defaultQuotaVms: 10,
      settings: {},
    };
    const tuning = { pollDelaysMs: [100, 200], readRetryDelaysMs: [50, 100] };
    const open = (secretKey: string) =>
      openCloudStack({ config, credentialId: 'cred-conf', secrets: { apiKey: fake.apiKey, secretKey } }, { now: () => new Date() }, tuning);
    return {
      connector: open(fake.secretKey),
      openWithBadCredentials: () => open(`${fake.secretKey}x`),
      imageId: 'a17b40d6-83e4-4f2a-9ef0-dce6af575789',
      unknownImageId: '00000000-0000-4000-8000-000000000000',
      instanceType: 'Micro',
      teardown: () => fake.stop(),
    };
  },
});
