/** Every way a call to oned fails, classified: the cloud's words in `cause`, no secret anywhere. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudError } from '#connectors/errors';
import { rpcClient } from '#connectors/opennebula/rpc-client';
import { connect, CREDENTIAL_ID, PASSWORD, SESSION } from './support/connect';
import { failure, fault, ok, startRecordedOned, type RecordedOned } from './support/recorded-oned';

let oned: RecordedOned;
beforeAll(async () => {
  oned = await startRecordedOned();
});
afterAll(async () => {
  await oned.stop();
});
beforeEach(() => {
  oned.calls.length = 0;
});

/** The error a zone listing (the simplest call) fails with. */
async function zoneError(): Promise<CloudError> {
  return connect(oned.url)
    .listZones()
    .then(
      () => {
        throw new Error('expected listZones to fail');
      },
      (error: CloudError) => error,
    );
}

/** Everything an error could leak: its message, its cause chain and their messages. */
const everything = (error: Error) =>
  JSON.stringify({
    message: error.message,
    cause: String(error.cause),
    inner: String((error.cause as Error | undefined)?.cause),
  });

describe('OpenNebula error classification', () => {
  it('sends the session string user:password as the first argument', async () => {
    // Prepare
    oned.reply('one.zonepool.info', ok('<ZONE_POOL/>'));

    // Act
    await connect(oned.url).listZones();

    // Assess
    expect(oned.calls[0]).toMatchObject({
      method: 'one.zonepool.info',
      args: [SESSION],
    });
  });

  it('turns AUTHENTICATION (0x100) into a permanent error naming the credential, never the password', async () => {
    // Prepare
    oned.reply('one.zonepool.info', failure("[one.zonepool.info] User couldn't be authenticated, aborting call.", 0x100));

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('PermanentCloudError');
    expect(error.message).toMatch(new RegExp(`^authentication failed for credential ${CREDENTIAL_ID} `));
    expect(String(error.cause)).toContain("User couldn't be authenticated");
    expect(everything(error)).not.toContain(PASSWORD);
  });

  it('turns AUTHORIZATION (0x200) into a permanent error', async () => {
    // Prepare
    oned.reply('one.zonepool.info', failure('[one.zonepool.info] User [4] : Not authorized to perform USE ZONE [0].', 0x200));

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('PermanentCloudError');
    expect(error.message).toContain('not authorized');
  });

  it('turns a quota message into CloudQuotaExceededError whatever its code', async () => {
    // Prepare
    oned.reply('one.zonepool.info', failure('[one.vm.allocate] User [4] : limit of 2 reached for VMS quota.', 0x200));

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('CloudQuotaExceededError');
    expect(error.message).toContain('limit of 2 reached for VMS quota');
  });

  it.each([
    ['INTERNAL', 0x2000],
    ['ACTION', 0x800],
    ['LOCKED', 0x8000],
    ['REPLICATION', 0x10000],
  ])('turns %s into a transient error', async (_name, code) => {
    // Prepare
    oned.reply('one.zonepool.info', failure('[one.zonepool.info] busy', code));

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('TransientCloudError');
  });

  it('turns XML_RPC_API (0x1000) into a permanent error quoting the cloud', async () => {
    // Prepare
    oned.reply('one.zonepool.info', failure('[one.zonepool.info] Wrong number of arguments', 0x1000));

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('PermanentCloudError');
    expect(error.message).toContain('Wrong number of arguments');
  });

  it('reads the three-value failure of OpenNebula 4.x the same way', async () => {
    // Prepare
    oned.reply('one.zonepool.info', failure("[ZonePoolInfo] User couldn't be authenticated, aborting call.", 0x100, { arity: 3 }));

    // Act
    const error = await zoneError();

    // Assess
    expect(error.message).toMatch(/^authentication failed/);
  });

  it('turns an XML-RPC fault into a transient error', async () => {
    // Prepare
    oned.reply('one.zonepool.info', fault(-501, 'Internal server error'));

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('TransientCloudError');
  });

  it.each([500, 502, 503])('turns HTTP %i from a proxy into a transient error', async (status) => {
    // Prepare
    oned.reply('one.zonepool.info', { status, body: 'upstream unavailable' });

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('TransientCloudError');
  });

  it('turns a body that is not XML-RPC into a transient error', async () => {
    // Prepare
    oned.reply('one.zonepool.info', { body: '<html>maintenance</html>' });

    // Act
    const error = await zoneError();

    // Assess
    expect(error.name).toBe('TransientCloudError');
  });

  it('turns a timeout into a transient error', async () => {
    // Prepare
    oned.reply('one.zonepool.info', { ...ok('<ZONE_POOL/>'), delayMs: 500 });
    const call = rpcClient({
      endpoint: oned.url,
      username: 'alice',
      password: PASSWORD,
      credentialId: CREDENTIAL_ID,
      connectorName: 'one-test',
      timeoutMs: 50,
    });

    // Act
    const error = await call('one.zonepool.info', []).then(
      () => undefined,
      (e: Error) => e,
    );

    // Assess
    expect(error?.name).toBe('TransientCloudError');
    expect(error?.message).toContain('timed out after 50 ms');
  });

  it('scrubs the password and session from a cloud message that echoes them', async () => {
    // Prepare
    oned.reply('one.zonepool.info', failure(`[one.zonepool.info] bad session "${SESSION}"`, 0x1000));

    // Act
    const error = await zoneError();

    // Assess
    expect(everything(error)).not.toContain(PASSWORD);
    expect(error.message).toContain('bad session "***"');
  });

  it('takes a token from the rate budget before every request', async () => {
    // Prepare
    oned.reply('one.zonepool.info', ok('<ZONE_POOL/>'));
    let taken = 0;
    const budget = {
      take: async () => void (taken += 1),
      throttled: async () => undefined,
    };

    // Act
    const connector = connect(oned.url, {}, { budget });
    await connector.listZones();
    await connector.listZones();

    // Assess
    expect(taken).toBe(2);
  });
});
