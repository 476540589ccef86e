/** createInstance against recorded CloudStack responses (libcloud's fixtures), served over local HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { CLOUD_ERROR } from '#connectors/errors';
import { startFixtureServer, type FixtureServer, type Scenarios } from './fixture-server';
import { EXTRA_BODIES, openOn, rejection, webRequest } from './recorded-world';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** No VM exists yet for the tag or the name; then the deploy scenario the test names. */
async function serve(deploy: string): Promise<FixtureServer> {
  const scenarios: Scenarios = { listVirtualMachines: 'empty', deployVirtualMachine: deploy };
  server = await startFixtureServer(scenarios, EXTRA_BODIES);
  return server;
}

describe('cloudstack createInstance on recorded responses', () => {
  it('deploys with the resolved zone, template, offering and base64 user data as a POST', async () => {
    // Prepare
    const fixtures = await serve('default');

    // Act
    await openOn(fixtures.endpoint).createInstance(webRequest);

    // Assess
    const [deploy] = fixtures.of('deployVirtualMachine');
    expect(deploy!.method).toBe('POST');
    expect(deploy!.params).toMatchObject({ zoneid: '1', templateid: '421', serviceofferingid: '105', displayname: 'web.1', signatureversion: '3' });
    expect(deploy!.params.name).toBe('web-1-run-01jfixture');
    expect(Buffer.from(deploy!.params.userdata!, 'base64').toString('utf8')).toContain("db_host='10.0.0.5'");
    expect(deploy!.params.signature).toEqual(expect.any(String));
  });

  it('keeps the VM id and the job id of the deploy answer, tagging VM 2602 and polling job 17164', async () => {
    // Prepare
    const fixtures = await serve('default');

    // Act
    await openOn(fixtures.endpoint).createInstance(webRequest);

    // Assess
    expect(fixtures.of('createTags')[0]!.params).toMatchObject({
      resourceids: '2602',
      resourcetype: 'UserVm',
      'tags[0].key': 'slipway-run',
      'tags[0].value': 'run_01jfixture',
      'tags[1].key': 'slipway-node',
      'tags[2].key': 'slipway-index',
    });
    expect(fixtures.of('queryAsyncJobResult').map((r) => r.params.jobid)).toContain('17164');
  });

  it('looks for a VM with the tag before deploying', async () => {
    // Prepare
    const fixtures = await serve('default');

    // Act
    await openOn(fixtures.endpoint).createInstance(webRequest);

    // Assess
    const commands = fixtures.requests.map((r) => r.command);
    expect(commands.indexOf('listVirtualMachines')).toBeLessThan(commands.indexOf('deployVirtualMachine'));
    expect(fixtures.of('listVirtualMachines')[0]!.params).toMatchObject({ 'tags[0].key': 'slipway-run', 'tags[0].value': 'run_01jfixture' });
  });

  it('reports the VM of job 17164 running at 192.168.1.2', async () => {
    // Prepare
    const fixtures = await serve('default');

    // Act
    const vm = await openOn(fixtures.endpoint).createInstance(webRequest);

    // Assess
    expect(vm).toEqual({ cloudId: '2602', tag: webRequest.tag, state: 'running', rawState: 'Running', ip: '192.168.1.2' });
  });

  it('reports a VM whose deploy job succeeded but left it Stopped as stopped, not running', async () => {
    // Prepare
    const fixtures = await serve('stoppedvm');

    // Act
    const vm = await openOn(fixtures.endpoint).createInstance(webRequest);

    // Assess
    expect(vm).toMatchObject({ cloudId: '65385', state: 'stopped', rawState: 'Stopped' });
  });

  it('turns a failed deploy job without jobresult (17177) into a classified error naming the job', async () => {
    // Prepare
    const fixtures = await serve('deployfail2');

    // Act
    const error = await rejection(openOn(fixtures.endpoint).createInstance(webRequest));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.transient);
    expect(error.message).toContain('job 17177 (deployVirtualMachine)');
  });

  it('destroys, with expunge, the VM a failed deploy job leaves behind', async () => {
    // Prepare
    const fixtures = await serve('deployfail2');

    // Act
    await rejection(openOn(fixtures.endpoint).createInstance(webRequest));

    // Assess
    expect(fixtures.of('destroyVirtualMachine').map((r) => r.params)).toEqual([expect.objectContaining({ id: '2602', expunge: 'true' })]);
  });

  it('refuses a deploy the cloud answers with 431 as a permanent error naming the offering, and polls no job', async () => {
    // Prepare
    const fixtures = await serve('deployfail');

    // Act
    const error = await rejection(openOn(fixtures.endpoint).createInstance(webRequest));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toContain('service offering Compute Micro PRD');
    expect(String((error.cause as Error).message)).toContain('Unable to find service offering: 104');
    expect(fixtures.of('queryAsyncJobResult')).toEqual([]);
  });

  it('refuses an instance type that matches no recorded offering before deploying anything', async () => {
    // Prepare
    const fixtures = await serve('default');

    // Act
    const error = await rejection(openOn(fixtures.endpoint).createInstance({ ...webRequest, instanceType: 'Huge' }));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(/instance type Huge matches no service offering.*Compute Micro PRD/);
    expect(fixtures.of('deployVirtualMachine')).toEqual([]);
  });
});
