/** terminateInstance: terminate-hard, and "already gone" counted as done. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, rejection, SESSION } from './support/connect';
import { failure, fixture, ok, startRecordedOned, type RecordedOned } from './support/recorded-oned';

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

const wrongState = failure('[one.vm.action] Error performing action "terminate-hard": This action is not available for state DONE', 0x800, { objectId: 60 });
const doneVm = fixture('rpcdata_rpc_list_vm.xml').replace('<STATE>3</STATE><LCM_STATE>3</LCM_STATE>', '<STATE>6</STATE><LCM_STATE>0</LCM_STATE>');

describe('OpenNebula terminateInstance', () => {
  it('sends one.vm.action "terminate-hard" with the session first and the VM id as an integer', async () => {
    // Prepare
    oned.reply('one.vm.action', ok(60));

    // Act
    await connect(oned.url).terminateInstance('60');

    // Assess
    expect(oned.calls).toEqual([
      expect.objectContaining({
        method: 'one.vm.action',
        args: [SESSION, 'terminate-hard', 60],
      }),
    ]);
  });

  it('counts a VM oned no longer knows (NO_EXISTS) as terminated', async () => {
    // Prepare
    oned.reply(
      'one.vm.action',
      failure('[one.vm.action] Error getting virtual machine [60].', 0x400, {
        objectId: 60,
      }),
    );

    // Act
    const done = connect(oned.url).terminateInstance('60');

    // Assess
    await expect(done).resolves.toBeUndefined();
  });

  it('counts a VM already DONE as terminated when oned refuses the action for its state', async () => {
    // Prepare
    oned.reply('one.vm.action', wrongState);
    oned.reply('one.vm.info', ok(doneVm));

    // Act
    const done = connect(oned.url).terminateInstance('60');

    // Assess
    await expect(done).resolves.toBeUndefined();
    expect(oned.methods()).toEqual(['one.vm.action', 'one.vm.info']);
  });

  it('keeps a refusal as a transient error while the VM is not DONE (oned refuses terminate during PROLOG/BOOT)', async () => {
    // Prepare
    oned.reply('one.vm.action', wrongState);
    oned.reply('one.vm.info', ok(fixture('rpcdata_rpc_list_vm.xml').replace('<LCM_STATE>3</LCM_STATE>', '<LCM_STATE>1</LCM_STATE>')));

    // Act
    const error = await rejection(connect(oned.url).terminateInstance('60'));

    // Assess
    expect(error.name).toBe('TransientCloudError');
  });

  it('refuses an id that is not an OpenNebula VM id without calling oned', async () => {
    // Act
    const error = await rejection(connect(oned.url).terminateInstance('i-2ba64342'));

    // Assess
    expect(error.name).toBe('PermanentCloudError');
    expect(oned.calls).toEqual([]);
  });
});
