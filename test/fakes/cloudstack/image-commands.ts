/**
 * The fake's image commands: stopVirtualMachine (async), listVolumes (each VM's
 * ROOT volume), createTemplate (a "create" command: the template id and job id at
 * once; the template is ready when the job ends; the VM must be Stopped, as the API
 * reference says), deleteTemplate (async) and listTemplates over the catalogue and
 * the account's own templates (`templatefilter=self`), by id or name.
 */
import { randomUUID } from 'node:crypto';
import { FAKE_ZONES, templatesIn } from './catalogue';
import { FakeApiError, invalidParameter, listReply, pageOf, required, type Command, type CommandInput } from './command-kit';
import type { FakeTemplate, FakeVm } from './store';

const GONE = new Set(['Destroyed', 'Expunging']);

const stopVirtualMachine: Command = (input) => {
  const { store, behaviour } = input;
  const id = required(input, 'stopVirtualMachine', 'id');
  const vm = store.vms.get(id);
  if (!vm) throw invalidParameter('stopVirtualMachine', 'id', id);
  if (vm.state !== 'Running' && vm.state !== 'Stopped') throw new FakeApiError(431, `VM ${vm.id} is in state ${vm.state} and cannot be stopped`);
  if (vm.state === 'Running') vm.state = 'Stopping';
  const job = store.addJob('org.apache.cloudstack.api.command.user.vm.StopVMCmd', behaviour.jobMs, () => {
    vm.state = 'Stopped';
    return { result: { virtualmachine: store.view(vm) } };
  });
  vm.jobid = job.jobid;
  return { jobid: job.jobid };
};

function volumeOf(vm: FakeVm) {
  return {
    id: vm.rootvolumeid,
    name: `ROOT-${vm.name}`,
    type: 'ROOT',
    virtualmachineid: vm.id,
    vmname: vm.name,
    vmstate: vm.state,
    zoneid: vm.zoneid,
    state: 'Ready',
  };
}

const listVolumes: Command = (input) => {
  const { params, store } = input;
  const all = [...store.vms.values()]
    .filter((vm) => !GONE.has(vm.state))
    .map(volumeOf)
    .filter(
      (v) =>
        (!params.has('virtualmachineid') || v.virtualmachineid === params.get('virtualmachineid')) && (!params.has('type') || v.type === params.get('type')),
    );
  return listReply('volume', all, pageOf(input, 'listVolumes', all));
};

const createTemplate: Command = (input) => {
  const { params, store, behaviour } = input;
  const name = required(input, 'createTemplate', 'name');
  const ostypeid = required(input, 'createTemplate', 'ostypeid');
  const volumeid = required(input, 'createTemplate', 'volumeid');
  const vm = [...store.vms.values()].find((v) => v.rootvolumeid === volumeid && !GONE.has(v.state));
  if (!vm) throw invalidParameter('createTemplate', 'volumeid', volumeid);
  if (vm.state !== 'Stopped')
    throw new FakeApiError(431, `VM ${vm.name} must be stopped before a template is created from its ROOT volume (it is ${vm.state})`);
  const zone = FAKE_ZONES.find((z) => z.id === vm.zoneid)!;
  const template: FakeTemplate = {
    id: randomUUID(),
    name,
    displaytext: params.get('displaytext') ?? name,
    ostypeid,
    zoneid: zone.id,
    zonename: zone.name,
    isready: false,
    status: 'Creating',
    created: new Date().toISOString().replace(/\.\d+Z$/, '+0000'),
    volumeid,
  };
  store.templates.set(template.id, template);
  const job = store.addJob('org.apache.cloudstack.api.command.user.template.CreateTemplateCmd', behaviour.jobMs, () => {
    Object.assign(template, { isready: true, status: 'Download Complete' });
    return { result: { template: { ...template } } };
  });
  return { id: template.id, jobid: job.jobid };
};

const deleteTemplate: Command = (input) => {
  const { store, behaviour } = input;
  const id = required(input, 'deleteTemplate', 'id');
  if (!store.templates.has(id)) throw invalidParameter('deleteTemplate', 'id', id);
  const job = store.addJob('org.apache.cloudstack.api.command.user.template.DeleteTemplateCmd', behaviour.jobMs, () => {
    store.templates.delete(id);
    return { result: { success: true } };
  });
  return { jobid: job.jobid };
};

/** The account's own templates as listTemplates shows them to their owner. */
function ownTemplates(input: CommandInput) {
  return [...input.store.templates.values()].map(({ volumeid: _volumeid, ...t }) => ({
    ...t,
    templatetype: 'USER',
    hypervisor: 'KVM',
    format: 'QCOW2',
    ispublic: false,
  }));
}

const listTemplates: Command = (input) => {
  const { params } = input;
  const filter = required(input, 'listTemplates', 'templatefilter');
  const zoneId = params.get('zoneid');
  const own = ownTemplates(input).filter((t) => !zoneId || t.zoneid === zoneId);
  // `self`: the account's own; `executable` and the others: what it may deploy, its own ready ones included.
  const candidates = filter === 'self' ? own : [...templatesIn(zoneId), ...own.filter((t) => t.isready)];
  const id = params.get('id');
  if (id !== undefined && !candidates.some((t) => t.id === id) && !input.store.templates.has(id) && !templatesIn().some((t) => t.id === id)) {
    throw invalidParameter('listTemplates', 'id', id);
  }
  const all = candidates.filter((t) => (id === undefined || t.id === id) && (!params.has('name') || t.name === params.get('name')));
  return listReply('template', all, pageOf(input, 'listTemplates', all));
};

export const imageCommands: Record<string, Command> = {
  stopvirtualmachine: stopVirtualMachine,
  listvolumes: listVolumes,
  createtemplate: createTemplate,
  deletetemplate: deleteTemplate,
  listtemplates: listTemplates,
};
