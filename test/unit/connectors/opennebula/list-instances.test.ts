/** The bulk list over recorded pool payloads: paging, the extended pool, tags matched client-side. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VM_PAGE_SIZE } from '#connectors/opennebula/list-vms';
import { connect, SESSION } from './support/connect';
import { fault, fixture, ok, startRecordedOned, withTag, type RecordedOned } from './support/recorded-oned';

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

const runA = (index: number) => ({ run: 'run-a', node: 'web', index });
/** vmpool.xml with VMs 6 and 7 in run-a, 8 in run-b. */
const withTags = (payload: string) => withTag(payload, [runA(1), runA(2), { run: 'run-b', node: 'db', index: 1 }]);

/** A pool page of `count` tagged running VMs with ids from `firstId`. */
function poolPage(firstId: number, count: number): string {
  const vms = Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    return `<VM><ID>${id}</ID><STATE>3</STATE><LCM_STATE>3</LCM_STATE><TEMPLATE><NIC><IP>10.0.${Math.floor(id / 250)}.${id % 250}</IP></NIC></TEMPLATE><USER_TEMPLATE><SLIPWAY_RUN>big</SLIPWAY_RUN><SLIPWAY_NODE>n</SLIPWAY_NODE><SLIPWAY_INDEX>${id + 1}</SLIPWAY_INDEX></USER_TEMPLATE></VM>`;
  });
  return `<VM_POOL>${vms.join('')}</VM_POOL>`;
}

describe('OpenNebula listInstances', () => {
  it("asks one.vmpool.infoextended for the credential's own VMs that are not DONE, first page by offset", async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', ok('<VM_POOL/>'));

    // Act
    await connect(oned.url).listInstances();

    // Assess
    expect(oned.calls).toHaveLength(1);
    expect(oned.calls[0]).toMatchObject({
      method: 'one.vmpool.infoextended',
      args: [SESSION, -3, 0, -VM_PAGE_SIZE, -1],
    });
  });

  it('lists the tagged VMs of the recorded pool with their ids, states and raw states', async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', ok(withTags(fixture('vmpool.xml'))));

    // Act
    const vms = await connect(oned.url).listInstances();

    // Assess
    expect(vms).toEqual([
      {
        cloudId: '6',
        tag: runA(1),
        state: 'running',
        rawState: 'ACTIVE/RUNNING',
      },
      {
        cloudId: '7',
        tag: runA(2),
        state: 'running',
        rawState: 'ACTIVE/RUNNING',
      },
      {
        cloudId: '8',
        tag: { run: 'run-b', node: 'db', index: 1 },
        state: 'stopped',
        rawState: 'STOPPED',
      },
    ]);
  });

  it('narrows the list to one run', async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', ok(withTags(fixture('vmpool.xml'))));

    // Act
    const vms = await connect(oned.url).listInstances({ run: 'run-b' });

    // Assess
    expect(vms.map((vm) => vm.cloudId)).toEqual(['8']);
  });

  it('leaves out VMs that carry no Slipway tag', async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', ok(fixture('rpcdata_rpc_list_vmspool.xml')));

    // Act
    const vms = await connect(oned.url).listInstances();

    // Assess
    expect(vms).toEqual([]);
  });

  it('answers an empty pool with an empty list', async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', ok('<VM_POOL></VM_POOL>'));

    // Act
    const vms = await connect(oned.url).listInstances();

    // Assess
    expect(vms).toEqual([]);
  });

  it('reads the next page while a page is full, and stops at the first short one', async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', ok(poolPage(0, VM_PAGE_SIZE)), ok(poolPage(VM_PAGE_SIZE, 3)));

    // Act
    const vms = await connect(oned.url).listInstances();

    // Assess
    expect(oned.calls.map((c) => c.args.slice(2, 4))).toEqual([
      [0, -VM_PAGE_SIZE],
      [VM_PAGE_SIZE, -VM_PAGE_SIZE],
    ]);
    expect(vms).toHaveLength(VM_PAGE_SIZE + 3);
    expect(vms.at(-1)).toMatchObject({
      cloudId: String(VM_PAGE_SIZE + 2),
      ip: '10.0.0.202',
    });
  });

  it('falls back to one.vmpool.info on an oned that does not know infoextended (before 5.12), and remembers it', async () => {
    // Prepare
    oned.reply('one.vmpool.infoextended', fault(-506, "Method 'one.vmpool.infoextended' not defined"));
    oned.reply('one.vmpool.info', ok(withTags(fixture('vmpool.xml'))));
    const connector = connect(oned.url);

    // Act
    const first = await connector.listInstances();
    await connector.listInstances();

    // Assess
    expect(first).toHaveLength(3);
    expect(oned.methods()).toEqual(['one.vmpool.infoextended', 'one.vmpool.info', 'one.vmpool.info']);
  });
});
