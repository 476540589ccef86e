/** createInstance over recorded answers: the tag looked for first, the allocate template, image and size errors. */
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateInstanceRequest } from '#connectors/contract';
import { connect, rejection, SESSION } from './support/connect';
import { failure, fixture, ok, startRecordedOned, withTag, type RecordedOned } from './support/recorded-oned';

let oned: RecordedOned;
beforeAll(async () => {
  oned = await startRecordedOned();
});
afterAll(async () => {
  await oned.stop();
});
beforeEach(() => {
  oned.calls.length = 0;
  oned.reply('one.vmpool.infoextended', ok('<VM_POOL/>'));
  oned.reply('one.vm.allocate', ok(61));
});

const request: CreateInstanceRequest = {
  tag: { run: 'run-7', node: 'db', index: 1 },
  name: 'db.1',
  imageId: '43',
  boot: {
    outputs: [{ name: 'hostname' }],
    inputs: { port: '3306' },
    readiness: 'running',
    recipe: 'apt-get install -y mysql-server',
  },
};

const TEMPLATES = `<VMTEMPLATE_POOL><VMTEMPLATE><ID>0</ID><NAME>small</NAME><TEMPLATE><CPU>0.5</CPU><MEMORY>512</MEMORY></TEMPLATE></VMTEMPLATE><VMTEMPLATE><ID>4</ID><NAME>large</NAME><TEMPLATE><CPU>2</CPU><VCPU>4</VCPU><MEMORY>8192</MEMORY></TEMPLATE></VMTEMPLATE></VMTEMPLATE_POOL>`;

/** The allocate call's template, parsed. */
function sentTemplate(): Record<string, Record<string, string> & string> {
  const call = oned.calls.find((c) => c.method === 'one.vm.allocate')!;
  return new XMLParser({ parseTagValue: false }).parse(String(call.args[1])).TEMPLATE;
}

describe('OpenNebula createInstance', () => {
  it('looks for a VM with the tag before allocating, then answers the new id as PENDING', async () => {
    // Act
    const vm = await connect(oned.url).createInstance(request);

    // Assess
    expect(oned.methods()).toEqual(['one.vmpool.infoextended', 'one.vm.allocate']);
    expect(vm).toEqual({
      cloudId: '61',
      tag: request.tag,
      state: 'pending',
      rawState: 'PENDING',
    });
  });

  it('sends one.vm.allocate with the session first, the template second and hold=false', async () => {
    // Act
    await connect(oned.url).createInstance(request);

    // Assess
    const call = oned.calls.find((c) => c.method === 'one.vm.allocate')!;
    expect(call.args[0]).toBe(SESSION);
    expect(String(call.args[1])).toMatch(/^<TEMPLATE>/);
    expect(call.args[2]).toBe(false);
  });

  it("puts Slipway's tag in the template as SLIPWAY_RUN, SLIPWAY_NODE and SLIPWAY_INDEX", async () => {
    // Act
    await connect(oned.url).createInstance(request);

    // Assess
    expect(sentTemplate()).toMatchObject({
      SLIPWAY_RUN: 'run-7',
      SLIPWAY_NODE: 'db',
      SLIPWAY_INDEX: '1',
      NAME: 'slipway-run-7-db.1',
    });
  });

  it('boots from the image id with the cloud-init script base64-encoded in CONTEXT', async () => {
    // Act
    await connect(oned.url).createInstance(request);

    // Assess
    const template = sentTemplate();
    expect(template.DISK).toEqual({ IMAGE_ID: '43' });
    expect(template.CONTEXT).toMatchObject({
      NETWORK: 'YES',
      USERDATA_ENCODING: 'base64',
    });
    const script = Buffer.from(template.CONTEXT!.USER_DATA!, 'base64').toString('utf8');
    expect(script).toMatch(/^#!\/bin\/sh/);
    expect(script).toContain('apt-get install -y mysql-server');
    expect(script).toContain("port='3306'");
  });

  it('adds a NIC on the networkId setting, and none without it', async () => {
    // Act
    await connect(oned.url, { networkId: 5 }).createInstance(request);
    const withNetwork = sentTemplate();
    oned.calls.length = 0;
    await connect(oned.url).createInstance(request);
    const withoutNetwork = sentTemplate();

    // Assess
    expect(withNetwork.NIC).toEqual({ NETWORK_ID: '5' });
    expect(withoutNetwork).not.toHaveProperty('NIC');
  });

  it('sizes the VM with 1 CPU and 1024 MB when nothing else is asked, and with cpu/ramMb when they are', async () => {
    // Act
    await connect(oned.url).createInstance(request);
    const byDefault = sentTemplate();
    oned.calls.length = 0;
    await connect(oned.url).createInstance({
      ...request,
      cpu: 2,
      ramMb: 4096,
      diskGb: 20,
    });
    const asked = sentTemplate();

    // Assess
    expect(byDefault).toMatchObject({ CPU: '1', VCPU: '1', MEMORY: '1024' });
    expect(asked).toMatchObject({
      CPU: '2',
      VCPU: '2',
      MEMORY: '4096',
      DISK: { IMAGE_ID: '43', SIZE: '20480' },
    });
  });

  it('copies the capacity of the VM template named by instanceType, by name or by id', async () => {
    // Prepare
    oned.reply('one.templatepool.info', ok(TEMPLATES));

    // Act
    await connect(oned.url).createInstance({
      ...request,
      instanceType: 'large',
    });
    const byName = sentTemplate();
    oned.calls.length = 0;
    await connect(oned.url).createInstance({ ...request, instanceType: '0' });
    const byId = sentTemplate();

    // Assess
    expect(byName).toMatchObject({ CPU: '2', VCPU: '4', MEMORY: '8192' });
    expect(byId).toMatchObject({ CPU: '0.5', VCPU: '1', MEMORY: '512' });
  });

  it('refuses an instanceType no VM template has, naming it, before allocating', async () => {
    // Prepare
    oned.reply('one.templatepool.info', ok(TEMPLATES));

    // Act
    const error = await rejection(connect(oned.url).createInstance({ ...request, instanceType: 'huge' }));

    // Assess
    expect(error).toMatchObject({
      name: 'PermanentCloudError',
      message: expect.stringContaining('"huge"'),
    });
    expect(oned.methods()).not.toContain('one.vm.allocate');
  });

  it('returns the VM already made for the tag instead of allocating another', async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', ok(withTag(fixture('rpcdata_rpc_list_vmspool.xml'), [request.tag])));

    // Act
    const vm = await connect(oned.url).createInstance(request);

    // Assess
    expect(vm).toEqual({
      cloudId: '60',
      tag: request.tag,
      state: 'running',
      rawState: 'ACTIVE/RUNNING',
    });
    expect(oned.methods()).toEqual(['one.vmpool.infoextended']);
  });

  it('refuses an unknown image (NO_EXISTS) with a permanent error naming the image id', async () => {
    // Prepare
    oned.reply(
      'one.vm.allocate',
      failure('[one.vm.allocate] Error getting image [43].', 0x400, {
        objectId: 43,
      }),
    );

    // Act
    const error = await rejection(connect(oned.url).createInstance(request));

    // Assess
    expect(error).toMatchObject({
      name: 'PermanentCloudError',
      message: expect.stringContaining('image 43'),
    });
    expect(String(error.cause)).toContain('Error getting image [43]');
  });

  it('refuses an unknown image reported as an allocation failure the same way', async () => {
    // Prepare
    oned.reply('one.vm.allocate', failure('[one.vm.allocate] Error allocating a new virtual machine. Image 43 does not exist.', 0x4000));

    // Act
    const error = await rejection(connect(oned.url).createInstance(request));

    // Assess
    expect(error).toMatchObject({
      name: 'PermanentCloudError',
      message: expect.stringContaining('image 43'),
    });
  });

  it('reports a quota refusal of allocate as CloudQuotaExceededError', async () => {
    // Prepare
    oned.reply('one.vm.allocate', failure('[one.vm.allocate] Error allocating a new virtual machine. User [4] : VM quota exceeded.', 0x4000));

    // Act
    const error = await rejection(connect(oned.url).createInstance(request));

    // Assess
    expect(error.name).toBe('CloudQuotaExceededError');
  });

  it('escapes a node name that would break a quoted template', async () => {
    // Act
    await connect(oned.url).createInstance({
      ...request,
      tag: { ...request.tag, node: 'a"<b>&' },
      name: 'a"<b>&.1',
    });

    // Assess
    expect(sentTemplate().SLIPWAY_NODE).toBe('a"<b>&');
  });
});
