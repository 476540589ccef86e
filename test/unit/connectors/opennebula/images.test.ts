/**
 * createImage (poweroff, then one.vm.disksaveas), imageState (one.image.info) and
 * deleteImage (one.image.delete): the exact calls against a recorded oned (VM 60
 * of rpcdata_rpc_list_vm.xml), the flows against the fake front-end, and the
 * mapping of image STATE numbers.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateImageRequest } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import { opennebulaImageState, parseImage } from '#connectors/opennebula/image-xml';
import { startFakeOpennebula, type FakeOpennebula } from '#test/fakes/opennebula/fake-opennebula';
import { connect, PASSWORD, rejection, SESSION, USERNAME } from './support/connect';
import { failure, fixture, ok, startRecordedOned, type RecordedOned } from './support/recorded-oned';

const build = (cloudId: string, id = 'bld_01jone'): CreateImageRequest => ({ cloudId, name: `slipway-mysql-${id}`, tag: { image: 'img_mysql', build: id } });

const running = fixture('rpcdata_rpc_list_vm.xml');
const poweredOff = running.replace('<STATE>3</STATE><LCM_STATE>3</LCM_STATE>', '<STATE>8</STATE><LCM_STATE>0</LCM_STATE>');
const image = (id: number, name: string, state: number, extra = '') =>
  `<IMAGE><ID>${id}</ID><UID>2</UID><UNAME>alice</UNAME><NAME>${name}</NAME><TYPE>0</TYPE><STATE>${state}</STATE><TEMPLATE>${extra}</TEMPLATE></IMAGE>`;

describe('OpenNebula createImage on a recorded oned', () => {
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

  it('looks for its own image by name, powers the running VM 60 off, then saves disk 0 as the image', async () => {
    // Prepare
    oned.reply('one.imagepool.info', ok('<IMAGE_POOL/>'));
    oned.reply('one.vm.info', ok(running), ok(poweredOff));
    oned.reply('one.vm.action', ok(60));
    oned.reply('one.vm.disksaveas', ok(42));

    // Act
    const made = await connect(oned.url).createImage(build('60'));

    // Assess
    expect(made).toEqual({ imageId: '42' });
    expect(oned.calls.map((c) => [c.method, ...c.args.slice(1)])).toEqual([
      ['one.imagepool.info', -3, -1, -1],
      ['one.vm.info', 60],
      ['one.vm.action', 'poweroff', 60],
      ['one.vm.info', 60],
      ['one.vm.disksaveas', 60, 0, 'slipway-mysql-bld_01jone', '', -1],
    ]);
    expect(oned.calls.every((c) => c.args[0] === SESSION)).toBe(true);
  });

  it('answers the image it already owns under the build name, touching no VM', async () => {
    // Prepare
    oned.reply('one.imagepool.info', ok(`<IMAGE_POOL>${image(41, 'other', 1)}${image(42, 'slipway-mysql-bld_01jone', 4)}</IMAGE_POOL>`));

    // Act
    const made = await connect(oned.url).createImage(build('60'));

    // Assess
    expect(made).toEqual({ imageId: '42' });
    expect(oned.methods()).toEqual(['one.imagepool.info']);
  });

  it('looks again when oned says the name is taken (an earlier attempt saved it), and answers that image', async () => {
    // Prepare
    oned.reply('one.imagepool.info', ok('<IMAGE_POOL/>'), ok(`<IMAGE_POOL>${image(42, 'slipway-mysql-bld_01jone', 4)}</IMAGE_POOL>`));
    oned.reply('one.vm.info', ok(poweredOff));
    oned.reply('one.vm.disksaveas', failure('[one.vm.disksaveas] Error allocating a new image. NAME is already taken by IMAGE 42.', 0x4000));

    // Act
    const made = await connect(oned.url).createImage(build('60'));

    // Assess
    expect(made).toEqual({ imageId: '42' });
  });

  it('refuses a VM oned does not know (NO_EXISTS) with a permanent error, and an id that is no VM id without asking', async () => {
    // Prepare
    oned.reply('one.imagepool.info', ok('<IMAGE_POOL/>'));
    oned.reply('one.vm.info', failure('[one.vm.info] Error getting virtual machine [60].', 0x400, { objectId: 60 }));

    // Act
    const missing = await rejection(connect(oned.url).createImage(build('60')));
    const malformed = await rejection(connect(oned.url).createImage(build('i-2ba64342')));

    // Assess
    expect(missing).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('VM 60 does not exist') });
    expect(malformed).toMatchObject({ name: CLOUD_ERROR.permanent });
    expect(oned.methods()).not.toContain('one.vm.disksaveas');
  });

  it('reads an image oned does not know as gone, and counts deleting it as done', async () => {
    // Prepare
    oned.reply('one.image.info', failure('[one.image.info] Error getting image [42].', 0x400, { objectId: 42 }));
    oned.reply('one.image.delete', failure('[one.image.delete] Error getting image [42].', 0x400, { objectId: 42 }));
    const connector = connect(oned.url);

    // Act
    const state = await connector.imageState('42');
    const deleted = connector.deleteImage('42');

    // Assess
    expect(state).toMatchObject({ state: 'gone', rawState: 'absent' });
    await expect(deleted).resolves.toBeUndefined();
    expect(oned.calls.map((c) => c.args)).toEqual([
      [SESSION, 42],
      [SESSION, 42],
    ]);
  });
});

describe('OpenNebula image builds against the fake front-end', () => {
  let fake: FakeOpennebula | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  async function runningVm(timings: Record<string, number> = {}) {
    fake = await startFakeOpennebula({ username: USERNAME, password: PASSWORD, timings: { pendingMs: 0, prologMs: 0, bootMs: 0, ...timings } });
    const vm = await connect(fake.url).createInstance({
      tag: { run: 'bld_01jone', node: 'build', index: 1 },
      name: 'build.1',
      imageId: '7',
      boot: { outputs: [], inputs: {}, readiness: 'running' },
    });
    return { fake, vmId: vm.cloudId };
  }

  it('powers the VM off, saves its disk LOCKED then READY, and a retry answers the same image', async () => {
    // Prepare
    const { fake, vmId } = await runningVm({ poweroffMs: 50, saveMs: 200 });
    const connector = connect(fake.url, {}, {}, { stopWaitMs: 2000 });

    // Act
    const { imageId } = await connector.createImage(build(vmId));
    const early = await connector.imageState(imageId);
    const again = await connector.createImage(build(vmId));
    await new Promise((resolve) => setTimeout(resolve, 250));
    const later = await connector.imageState(imageId);

    // Assess
    expect(again.imageId).toBe(imageId);
    expect(early).toEqual({ state: 'pending', rawState: 'LOCKED' });
    expect(later).toEqual({ state: 'available', rawState: 'READY' });
    expect((await connector.listInstances({ run: 'bld_01jone' }))[0]).toMatchObject({ state: 'stopped', rawState: 'POWEROFF' });
    expect(fake.images()).toHaveLength(1);
  });

  it('answers NotReadyYetError while the poweroff outlasts the wait, and the retry saves the disk without a second poweroff', async () => {
    // Prepare
    const { fake, vmId } = await runningVm({ poweroffMs: 300 });

    // Act
    const early = await rejection(connect(fake.url, {}, {}, { stopWaitMs: 50 }).createImage(build(vmId)));
    const retried = await connect(fake.url, {}, {}, { stopWaitMs: 2000 }).createImage(build(vmId));

    // Assess
    expect(early).toMatchObject({ name: CLOUD_ERROR.notReadyYet, message: expect.stringContaining('SHUTDOWN_POWEROFF') });
    expect(retried.imageId).toBe(String(fake.images()[0]!.id));
    expect(fake.calls['one.vm.action']).toBe(1);
  });

  it('answers NotReadyYetError for a VM still PENDING, without asking for a poweroff', async () => {
    // Prepare
    const { fake, vmId } = await runningVm({ pendingMs: 60_000 });

    // Act
    const error = await rejection(connect(fake.url).createImage(build(vmId)));

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.notReadyYet, message: expect.stringContaining('PENDING') });
    expect(fake.calls['one.vm.action']).toBeUndefined();
  });

  it('deletes a saved image: gone then, and a second delete is no error', async () => {
    // Prepare
    const { fake, vmId } = await runningVm({ poweroffMs: 0 });
    const connector = connect(fake.url);
    const { imageId } = await connector.createImage(build(vmId));

    // Act
    await connector.deleteImage(imageId);
    await connector.deleteImage(imageId);

    // Assess
    expect(await connector.imageState(imageId)).toMatchObject({ state: 'gone' });
    expect(fake.images()).toEqual([]);
  });
});

describe('opennebulaImageState', () => {
  it.each([
    [0, 'pending', 'INIT'],
    [1, 'available', 'READY'],
    [2, 'available', 'USED'],
    [3, 'failed', 'DISABLED'],
    [4, 'pending', 'LOCKED'],
    [5, 'failed', 'ERROR'],
    [6, 'pending', 'CLONE'],
    [7, 'gone', 'DELETE'],
    [8, 'available', 'USED_PERS'],
    [9, 'pending', 'LOCKED_USED'],
    [10, 'pending', 'LOCKED_USED_PERS'],
    [42, 'pending', 'STATE_42'],
  ] as const)('reads STATE %i as %s (%s)', (code, state, rawState) => {
    // Act
    const read = opennebulaImageState(parseImage(image(1, 'x', code)));

    // Assess
    expect(read).toMatchObject({ state, rawState });
  });

  it("gives oned's own error text as the reason of an image in ERROR", () => {
    // Act
    const read = opennebulaImageState(parseImage(image(1, 'x', 5, '<ERROR>Error copying image in the datastore: Not enough space</ERROR>')));

    // Assess
    expect(read).toEqual({ state: 'failed', rawState: 'ERROR', reason: 'Error copying image in the datastore: Not enough space' });
  });
});
