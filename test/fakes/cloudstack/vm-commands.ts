/**
 * The fake's VM commands: deploy (async; the id and job id answered at once),
 * list (filtered by id, name, zone and tags; paged), createTags (async), destroy
 * (async; `expunge=true` removes the VM) and queryAsyncJobResult.
 */
import { randomUUID } from 'node:crypto';
import { FAKE_OFFERINGS, FAKE_TEMPLATES, FAKE_ZONES } from './catalogue';
import { FakeApiError, invalidParameter, listReply, pageOf, required, tagParams, type Command, type CommandInput } from './command-kit';
import type { FakeVm } from './store';

const HOSTNAME = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;
const GONE = new Set(['Destroyed', 'Expunging']);

function vmOf(input: CommandInput, command: string, id: string): FakeVm {
  const vm = input.store.vms.get(id);
  if (!vm) throw invalidParameter(command, 'id', id);
  return vm;
}

const deployVirtualMachine: Command = (input) => {
  const { params, store, behaviour } = input;
  const zone = FAKE_ZONES.find((z) => z.id === required(input, 'deployVirtualMachine', 'zoneid'));
  if (!zone) throw invalidParameter('deployVirtualMachine', 'zoneid', params.get('zoneid')!);
  const templateId = required(input, 'deployVirtualMachine', 'templateid');
  const own = store.templates.get(templateId);
  const template = FAKE_TEMPLATES.find((t) => t.id === templateId) ?? (own?.isready ? own : undefined);
  if (!template) throw invalidParameter('deployVirtualMachine', 'templateid', templateId);
  const offeringId = required(input, 'deployVirtualMachine', 'serviceofferingid');
  const offering = FAKE_OFFERINGS.find((o) => o.id === offeringId);
  if (!offering) throw new FakeApiError(431, `Unable to find service offering: ${offeringId}`);
  const id = randomUUID();
  const name = params.get('name') ?? `VM-${id}`;
  if (!HOSTNAME.test(name)) throw new FakeApiError(431, `Invalid value for instance name: ${name}`);
  if ([...store.vms.values()].some((vm) => vm.name === name)) throw new FakeApiError(431, `The vm with hostname ${name} already exists`);
  const userdata = params.get('userdata');
  if (userdata !== undefined && Buffer.from(userdata, 'base64').toString('base64') !== userdata) throw new FakeApiError(431, 'User data is not base64 encoded');

  const vm: FakeVm = {
    id,
    name,
    displayname: params.get('displayname') ?? name,
    state: 'Starting',
    zoneid: zone.id,
    zonename: zone.name,
    templateid: template.id,
    templatename: template.name,
    guestosid: template.ostypeid,
    rootvolumeid: randomUUID(),
    serviceofferingid: offering.id,
    serviceofferingname: offering.name,
    cpunumber: offering.cpunumber,
    memory: offering.memory,
    created: new Date().toISOString().replace(/\.\d+Z$/, '+0000'),
    ...(userdata ? { userdata } : {}),
    ...(params.get('keypair') ? { keypair: params.get('keypair') } : {}),
    nic: [
      {
        id: randomUUID(),
        networkid: '00304a04-c7ea-4e77-a786-18bc64347bf7',
        ipaddress: store.nextIp(),
        netmask: '255.255.254.0',
        gateway: '10.1.0.1',
        isdefault: true,
        traffictype: 'Guest',
        type: 'Shared',
      },
    ],
    tags: [],
  };
  store.vms.set(id, vm);
  const failure = behaviour.deployJobFailures.shift();
  const job = store.addJob('org.apache.cloudstack.api.command.user.vm.DeployVMCmd', behaviour.deployJobMs, () => {
    if (failure) {
      vm.state = 'Error';
      return { error: failure };
    }
    vm.state = params.get('startvm') === 'false' ? 'Stopped' : 'Running';
    return { result: { virtualmachine: store.view(vm) } };
  });
  vm.jobid = job.jobid;
  return { id, jobid: job.jobid };
};

const listVirtualMachines: Command = (input) => {
  const { params, store } = input;
  const id = params.get('id');
  if (id !== undefined && !store.vms.has(id)) throw invalidParameter('listVirtualMachines', 'id', id);
  const wanted = tagParams(params);
  const all = [...store.vms.values()].filter(
    (vm) =>
      (id === undefined || vm.id === id) &&
      (!params.has('name') || vm.name === params.get('name')) &&
      (!params.has('zoneid') || vm.zoneid === params.get('zoneid')) &&
      (!params.has('state') || vm.state === params.get('state')) &&
      wanted.every((w) => vm.tags.some((t) => t.key === w.key && t.value === w.value)),
  );
  return listReply(
    'virtualmachine',
    all,
    pageOf(input, 'listVirtualMachines', all).map((vm) => store.view(vm)),
  );
};

const createTags: Command = (input) => {
  const { params, store, behaviour } = input;
  if (required(input, 'createTags', 'resourcetype').toLowerCase() !== 'uservm') throw new FakeApiError(431, 'The fake tags UserVm resources only');
  const vms = required(input, 'createTags', 'resourceids')
    .split(',')
    .map((id) => vmOf(input, 'createTags', id));
  const tags = tagParams(params);
  if (tags.length === 0) throw new FakeApiError(431, 'Unable to execute API command createtags due to missing parameter tags');
  for (const vm of vms) {
    const taken = tags.find((t) => vm.tags.some((existing) => existing.key === t.key));
    if (taken) throw new FakeApiError(431, `tag ${taken.key} already exists on resource ${vm.id}`);
  }
  const job = store.addJob('org.apache.cloudstack.api.command.user.tag.CreateTagsCmd', behaviour.jobMs, () => {
    for (const vm of vms) vm.tags.push(...tags);
    return { result: { success: true } };
  });
  return { jobid: job.jobid };
};

const destroyVirtualMachine: Command = (input) => {
  const { params, store, behaviour } = input;
  const vm = vmOf(input, 'destroyVirtualMachine', required(input, 'destroyVirtualMachine', 'id'));
  if (GONE.has(vm.state)) throw new FakeApiError(431, `VM ${vm.id} is already destroyed`);
  const expunge = params.get('expunge') === 'true';
  vm.state = vm.state === 'Error' ? 'Expunging' : 'Stopping';
  const job = store.addJob('org.apache.cloudstack.api.command.user.vm.DestroyVMCmd', behaviour.jobMs, () => {
    vm.state = 'Destroyed';
    const shown = store.view(vm);
    if (expunge) store.vms.delete(vm.id);
    return { result: { virtualmachine: shown } };
  });
  vm.jobid = job.jobid;
  return { jobid: job.jobid };
};

const queryAsyncJobResult: Command = (input) => {
  const jobid = required(input, 'queryAsyncJobResult', 'jobid');
  const job = input.store.jobs.get(jobid);
  if (!job) throw invalidParameter('queryAsyncJobResult', 'jobid', jobid);
  const { jobstatus, jobresultcode, jobresult, cmd } = job;
  return { jobid, cmd, jobstatus, jobprocstatus: 0, jobresultcode, jobresulttype: 'object', ...(jobresult ? { jobresult } : {}) };
};

export const vmCommands: Record<string, Command> = {
  deployvirtualmachine: deployVirtualMachine,
  listvirtualmachines: listVirtualMachines,
  createtags: createTags,
  destroyvirtualmachine: destroyVirtualMachine,
  queryasyncjobresult: queryAsyncJobResult,
};
