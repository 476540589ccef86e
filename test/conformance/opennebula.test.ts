/** `opennebula` against the conformance suite, over the fake OpenNebula XML-RPC front-end. */
import { opennebulaKind } from '#connectors/opennebula/opennebula-kind';
import { startFakeOpennebula } from '#test/fakes/opennebula/fake-opennebula';
import { describeConformance } from './conformance';

describeConformance({
  kind: 'opennebula',
  async setup() {
    // VMs stay PENDING for the length of a test: oned refuses terminate in PROLOG/BOOT, and each test terminates right away.
    const fake = await startFakeOpennebula({ timings: { pendingMs: 10_000 } });
    const config = {
      name: 'one-conf',
      kind: 'opennebula' as const,
      endpoint: fake.url,
      maxIaasWorkers: 2,
      defaultQuotaVms: 10,
      settings: { networkId: 0 },
    };
    const open = (password: string) =>
      opennebulaKind.open(
        {
          config,
          credentialId: 'cred-conf',
          secrets: { username: fake.username, password },
        },
        { now: () => new Date() },
      );
    return {
      connector: open(fake.password),
      openWithBadCredentials: () => open('wrong-password'),
      imageId: '7',
      unknownImageId: '999',
      instanceType: 'small',
      teardown: () => fake.stop(),
    };
  },
});
