/** Reading the recorded VM payloads (fixtures/opennebula/) into CloudInstances. */
import { describe, expect, it } from 'vitest';
import { parseVm, parseVmPool } from '#connectors/opennebula/vm-xml';
import { fixture, withTag } from './support/recorded-oned';

describe('OpenNebula VM payloads', () => {
  it('reads one.vm.info of OpenNebula 4.x: id 60, ACTIVE/RUNNING, no NIC so no IP', () => {
    // Act
    const vm = parseVm(fixture('rpcdata_rpc_list_vm.xml'));

    // Assess
    expect(vm).toEqual({
      cloudId: '60',
      state: 'running',
      rawState: 'ACTIVE/RUNNING',
    });
  });

  it('reads a NIC that has a MAC but no IP without inventing an address (vm.xml)', () => {
    // Act
    const vm = parseVm(fixture('vm.xml'));

    // Assess
    expect(vm.cloudId).toBe('6');
    expect(vm.state).toBe('running');
    expect(vm).not.toHaveProperty('ip');
  });

  it('reads the old pool schema: two running VMs and one STOPPED with a leftover LCM_STATE (vmpool.xml)', () => {
    // Act
    const vms = parseVmPool(fixture('vmpool.xml'));

    // Assess
    expect(vms.map((vm) => [vm.cloudId, vm.state, vm.rawState])).toEqual([
      ['6', 'running', 'ACTIVE/RUNNING'],
      ['7', 'running', 'ACTIVE/RUNNING'],
      ['8', 'stopped', 'STOPPED'],
    ]);
  });

  it('reads a pool of one VM as a list of one (rpcdata_rpc_list_vmspool.xml)', () => {
    // Act
    const vms = parseVmPool(fixture('rpcdata_rpc_list_vmspool.xml'));

    // Assess
    expect(vms).toEqual([{ cloudId: '60', state: 'running', rawState: 'ACTIVE/RUNNING' }]);
  });

  it('reads an empty pool as no VM', () => {
    // Act
    const vms = parseVmPool('<VM_POOL/>');

    // Assess
    expect(vms).toEqual([]);
  });

  it("reads Slipway's tag from USER_TEMPLATE, next to the attributes already there", () => {
    // Prepare
    const payload = withTag(fixture('rpcdata_rpc_list_vm.xml'), [{ run: 'r1', node: 'db', index: 1 }]);

    // Act
    const vm = parseVm(payload);

    // Assess
    expect(vm.tag).toEqual({ run: 'r1', node: 'db', index: 1 });
  });

  it('takes the IP of the first NIC when there are several', () => {
    // Prepare
    const payload =
      '<VM><ID>9</ID><STATE>3</STATE><LCM_STATE>3</LCM_STATE><TEMPLATE><NIC><IP>10.1.0.5</IP></NIC><NIC><IP>192.168.2.9</IP></NIC></TEMPLATE><USER_TEMPLATE/></VM>';

    // Act
    const vm = parseVm(payload);

    // Assess
    expect(vm.ip).toBe('10.1.0.5');
  });

  it('falls back to the IPv6 address of an IPv6-only NIC', () => {
    // Prepare
    const payload = '<VM><ID>9</ID><STATE>3</STATE><LCM_STATE>3</LCM_STATE><TEMPLATE><NIC><IP6_GLOBAL>2001:db8::5</IP6_GLOBAL></NIC></TEMPLATE></VM>';

    // Act
    const vm = parseVm(payload);

    // Assess
    expect(vm.ip).toBe('2001:db8::5');
  });

  it('refuses a payload that is not a pool', () => {
    // Act
    const parse = () => parseVmPool('<IMAGE_POOL/>');

    // Assess
    expect(parse).toThrow(/VM_POOL/);
  });
});
