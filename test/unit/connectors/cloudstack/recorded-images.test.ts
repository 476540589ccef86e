/**
 * createImage, imageState and deleteImage against recorded CloudStack responses
 * (libcloud's fixtures: the stop job 17199, listTemplates default and empty, VM 2600
 * of listVirtualMachines_default), served over local HTTP. What the recordings lack
 * (listVolumes, createTemplate, deleteTemplate, the VM once stopped) is added in
 * the documented shapes (cloud-apis.md §1.3, §1.4).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateImageRequest } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import { FIXTURES_DIR } from '#test/support/shared';
import { startFixtureServer, type FixtureServer, type RecordedRequest, type Scenarios } from './fixture-server';
import { EXTRA_BODIES, openOn, rejection } from './recorded-world';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** listVirtualMachines_default.json with VM 2600 as the recorded stop job left a VM: Stopped. */
function stoppedListing(): string {
  const text = readFileSync(resolve(FIXTURES_DIR, 'cloudstack', 'listVirtualMachines_default.json'), 'utf8');
  const body = JSON.parse(text) as { listvirtualmachinesresponse: { virtualmachine: { id: number; state: string }[] } };
  body.listvirtualmachinesresponse.virtualmachine = body.listvirtualmachinesresponse.virtualmachine
    .filter((vm) => vm.id === 2600)
    .map((vm) => ({ ...vm, state: 'Stopped' }));
  return JSON.stringify(body);
}

const IMAGE_BODIES = {
  ...EXTRA_BODIES,
  listVirtualMachines_stopped: stoppedListing(),
  listVolumes_default:
    '{ "listvolumesresponse" : { "count":1, "volume" : [ {"id":3100,"name":"ROOT-2600","type":"ROOT","virtualmachineid":2600,"vmstate":"Stopped","state":"Ready"} ] } }',
  createTemplate_default: '{ "createtemplateresponse" : {"id":"tmpl-7","jobid":"tmpl-job-7"} }',
  deleteTemplate_default: '{ "deletetemplateresponse" : {"jobid":"del-job-7"} }',
  'queryAsyncJobResult_del-job-7':
    '{ "queryasyncjobresultresponse" : {"jobid":"del-job-7","jobstatus":1,"jobresultcode":0,"jobresulttype":"object","jobresult":{"success":true}} }',
  deleteTemplate_unknown:
    '{ "deletetemplateresponse" : {"uuidList":[],"errorcode":431,"errortext":"Unable to execute API command deletetemplate due to invalid value. Invalid parameter id value=tmpl-gone due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class."} }',
};

const build: CreateImageRequest = { cloudId: '2600', name: 'slipway-mysql-bld_01jrec', tag: { image: 'img_mysql', build: 'bld_01jrec' } };

/** VM 2600 listed Running (the recording) until the stop job 17199 was polled, Stopped after. */
async function serve(overrides: Scenarios = {}): Promise<FixtureServer> {
  let seen: RecordedRequest[] = [];
  const stopped = () => seen.some((r) => r.command === 'queryAsyncJobResult' && r.params.jobid === '17199');
  const scenarios: Scenarios = { listTemplates: 'notemplates', listVirtualMachines: () => (stopped() ? 'stopped' : 'default'), ...overrides };
  server = await startFixtureServer(scenarios, IMAGE_BODIES);
  seen = server.requests;
  return server;
}

describe('cloudstack createImage on recorded responses', () => {
  it('stops the Running VM 2600 (job 17199), then makes a template of its ROOT volume with its OS type', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    const made = await openOn(fixtures.endpoint).createImage(build);

    // Assess
    expect(made).toEqual({ imageId: 'tmpl-7' });
    expect(fixtures.requests.map((r) => r.command).filter((c) => c !== 'listZones')).toEqual([
      'listTemplates',
      'listVirtualMachines',
      'stopVirtualMachine',
      'queryAsyncJobResult',
      'listVirtualMachines',
      'listVolumes',
      'createTemplate',
    ]);
    expect(fixtures.of('stopVirtualMachine')[0]).toMatchObject({ method: 'POST', params: { id: '2600' } });
    expect(fixtures.of('listVolumes')[0]!.params).toMatchObject({ virtualmachineid: '2600', type: 'ROOT' });
    expect(fixtures.of('createTemplate')[0]).toMatchObject({
      method: 'POST',
      params: { name: 'slipway-mysql-bld_01jrec', volumeid: '3100', ostypeid: '12', displaytext: 'Slipway image img_mysql, build bld_01jrec' },
    });
  });

  it('looks for the account template with the build name first, and answers it without touching the VM', async () => {
    // Prepare: listTemplates_default.json holds template 421 "XEN Basic Ubuntu 10.04 Server x64 PV r2.0"
    const fixtures = await serve({ listTemplates: 'default' });

    // Act
    const made = await openOn(fixtures.endpoint).createImage({ ...build, name: 'XEN Basic Ubuntu 10.04 Server x64 PV r2.0' });

    // Assess
    expect(made).toEqual({ imageId: '421' });
    expect(fixtures.of('listTemplates')[0]!.params).toMatchObject({ templatefilter: 'self', name: 'XEN Basic Ubuntu 10.04 Server x64 PV r2.0' });
    expect(fixtures.of('stopVirtualMachine')).toEqual([]);
    expect(fixtures.of('createTemplate')).toEqual([]);
  });

  it('refuses a VM the cloud does not know with a permanent error naming it', async () => {
    // Prepare
    const fixtures = await serve({ listVirtualMachines: 'empty' });

    // Act
    const error = await rejection(openOn(fixtures.endpoint).createImage(build));

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('VM 2600 does not exist') });
    expect(fixtures.of('createTemplate')).toEqual([]);
  });
});

describe('cloudstack imageState and deleteImage on recorded responses', () => {
  it('reads a template listTemplates reports ready as available (listTemplates_default.json)', async () => {
    // Prepare
    const fixtures = await serve({ listTemplates: 'default' });

    // Act
    const state = await openOn(fixtures.endpoint).imageState('421');

    // Assess
    expect(state.state).toBe('available');
    expect(fixtures.of('listTemplates')[0]!.params).toMatchObject({ templatefilter: 'self', id: '421' });
  });

  it('reads an empty listTemplates answer as gone (listTemplates_notemplates.json)', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    const state = await openOn(fixtures.endpoint).imageState('tmpl-7');

    // Assess
    expect(state).toMatchObject({ state: 'gone', rawState: 'absent' });
  });

  it('deletes a template and waits for its job', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    await openOn(fixtures.endpoint).deleteImage('tmpl-7');

    // Assess
    expect(fixtures.of('deleteTemplate')[0]).toMatchObject({ method: 'POST', params: { id: 'tmpl-7' } });
    expect(fixtures.of('queryAsyncJobResult').map((r) => r.params.jobid)).toEqual(['del-job-7']);
  });

  it('counts a template the cloud refuses to delete as unknown (431) and no longer lists as deleted', async () => {
    // Prepare
    const fixtures = await serve({ deleteTemplate: 'unknown' });

    // Act
    const done = openOn(fixtures.endpoint).deleteImage('tmpl-gone');

    // Assess
    await expect(done).resolves.toBeUndefined();
  });
});
