/** terminateInstance against the recorded TerminateInstances reply and EC2's not-found errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { CLOUD_ERROR } from '#connectors/errors';
import { errorReply, fixtureReply, openOnStub, startEc2Stub, type Ec2Stub, type StubRoutes } from './support/ec2-stub';

let stub: Ec2Stub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

async function connectorOn(routes: StubRoutes) {
  stub = await startEc2Stub(routes);
  return { connector: openOnStub(stub), stub };
}

describe('ec2 terminateInstance', () => {
  it('terminates the VM by id, though the recorded reply has no currentState (terminate_instances.xml)', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ TerminateInstances: fixtureReply('terminate_instances.xml') });

    // Act
    const done = connector.terminateInstance('i-4382922a');

    // Assess
    await expect(done).resolves.toBeUndefined();
    expect(stub.calls('TerminateInstances').map((call) => call.params.get('InstanceId.1'))).toEqual(['i-4382922a']);
  });

  it('counts an id EC2 no longer knows as terminated', async () => {
    // Prepare
    const { connector } = await connectorOn({ TerminateInstances: errorReply('InvalidInstanceID.NotFound', "The instance ID 'i-4382922a' does not exist") });

    // Act
    const done = connector.terminateInstance('i-4382922a');

    // Assess
    await expect(done).resolves.toBeUndefined();
  });

  it('refuses a malformed id as a permanent error', async () => {
    // Prepare
    const { connector } = await connectorOn({ TerminateInstances: errorReply('InvalidInstanceID.Malformed', 'Invalid id: "bogus"') });

    // Act
    const error = await connector.terminateInstance('bogus').then(
      () => undefined,
      (e: Error) => e,
    );

    // Assess
    expect(error?.name).toBe(CLOUD_ERROR.permanent);
    expect(error?.message).toMatch(/TerminateInstances.*\(InvalidInstanceID.Malformed\)/);
  });
});
