/** The admin look-ups: images, VM templates as instance types, zones. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, rejection, SESSION } from './support/connect';
import { ok, startRecordedOned, type RecordedOned } from './support/recorded-oned';

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

describe('OpenNebula look-ups', () => {
  it('lists every image the credential may use (filter -2, whole range)', async () => {
    // Prepare
    oned.reply(
      'one.imagepool.info',
      ok('<IMAGE_POOL><IMAGE><ID>0</ID><NAME>ttylinux</NAME><STATE>1</STATE></IMAGE><IMAGE><ID>43</ID><NAME>Ubuntu 22.04</NAME></IMAGE></IMAGE_POOL>'),
    );

    // Act
    const images = await connect(oned.url).listImages();

    // Assess
    expect(oned.calls[0]).toMatchObject({
      method: 'one.imagepool.info',
      args: [SESSION, -2, -1, -1],
    });
    expect(images).toEqual([
      { id: '0', name: 'ttylinux' },
      { id: '43', name: 'Ubuntu 22.04' },
    ]);
  });

  it('lists VM templates as instance types with their vCPUs (else CPU) and memory', async () => {
    // Prepare
    oned.reply(
      'one.templatepool.info',
      ok(
        '<VMTEMPLATE_POOL><VMTEMPLATE><ID>0</ID><NAME>small</NAME><TEMPLATE><CPU>0.5</CPU><MEMORY>512</MEMORY></TEMPLATE></VMTEMPLATE><VMTEMPLATE><ID>4</ID><NAME>large</NAME><TEMPLATE><CPU>2</CPU><VCPU>4</VCPU><MEMORY>8192</MEMORY></TEMPLATE></VMTEMPLATE></VMTEMPLATE_POOL>',
      ),
    );

    // Act
    const types = await connect(oned.url).listInstanceTypes();

    // Assess
    expect(oned.calls[0]).toMatchObject({
      method: 'one.templatepool.info',
      args: [SESSION, -2, -1, -1],
    });
    expect(types).toEqual([
      { id: '0', name: 'small', cpu: 0.5, ramMb: 512 },
      { id: '4', name: 'large', cpu: 4, ramMb: 8192 },
    ]);
  });

  it('lists zones', async () => {
    // Prepare
    oned.reply('one.zonepool.info', ok('<ZONE_POOL><ZONE><ID>0</ID><NAME>OpenNebula</NAME></ZONE></ZONE_POOL>'));

    // Act
    const zones = await connect(oned.url).listZones();

    // Assess
    expect(oned.calls[0]).toMatchObject({
      method: 'one.zonepool.info',
      args: [SESSION],
    });
    expect(zones).toEqual([{ id: '0', name: 'OpenNebula' }]);
  });

  it('answers empty pools with empty lists', async () => {
    // Prepare
    oned.reply('one.imagepool.info', ok('<IMAGE_POOL/>'));
    oned.reply('one.templatepool.info', ok('<VMTEMPLATE_POOL/>'));
    oned.reply('one.zonepool.info', ok('<ZONE_POOL/>'));
    const connector = connect(oned.url);

    // Act
    const lists = await Promise.all([connector.listImages(), connector.listInstanceTypes(), connector.listZones()]);

    // Assess
    expect(lists).toEqual([[], [], []]);
  });

  it('classifies a payload of the wrong kind as a transient error', async () => {
    // Prepare
    oned.reply('one.zonepool.info', ok('<IMAGE_POOL/>'));

    // Act
    const error = await rejection(connect(oned.url).listZones());

    // Assess
    expect(error.name).toBe('TransientCloudError');
  });
});
