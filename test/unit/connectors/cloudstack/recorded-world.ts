/** Opens the cloudstack connector on a fixture server, with waits shortened for tests. */
import type { ConnectorConfig, CreateInstanceRequest } from '#connectors/contract';
import { cloudStackContext, openCloudStack } from '#connectors/cloudstack/cloudstack-kind';
import type { CloudStackTuning } from '#connectors/cloudstack/context';

export const CREDENTIAL = 'cred-fixtures';
export const SECRETS = { apiKey: 'fixture-api-key', secretKey: 'fixture-secret-key-never-shown' };

/** Bodies the recordings lack, in their documented shapes (cloud-apis.md §1.3, §1.4, §1.6). */
export const EXTRA_BODIES = {
  listVirtualMachines_empty: '{ "listvirtualmachinesresponse" : {} }',
  createTags_default: '{ "createtagsresponse" : {"jobid":"tags-1"} }',
  'queryAsyncJobResult_tags-1':
    '{ "queryasyncjobresultresponse" : {"jobid":"tags-1","jobstatus":1,"jobresultcode":0,"jobresulttype":"object","jobresult":{"success":true}} }',
  listZones_denied: '{ "listzonesresponse" : {"uuidList":[],"errorcode":401,"errortext":"unable to verify user credentials and/or request signature"} }',
};

const fast: Partial<CloudStackTuning> = { pollDelaysMs: [10], readRetryDelaysMs: [10], deployWaitMs: 2000, destroyWaitMs: 2000 };

function session(endpoint: string) {
  const config: ConnectorConfig = { name: 'cs-fixtures', kind: 'cloudstack', endpoint, zone: 'Sydney', maxIaasWorkers: 2, defaultQuotaVms: 10, settings: {} };
  return { config, credentialId: CREDENTIAL, secrets: SECRETS };
}

export function openOn(endpoint: string, tuning: Partial<CloudStackTuning> = {}) {
  return openCloudStack(session(endpoint), { now: () => new Date() }, { ...fast, ...tuning });
}

export function contextOn(endpoint: string, tuning: Partial<CloudStackTuning> = {}) {
  return cloudStackContext(session(endpoint), { now: () => new Date() }, { ...fast, ...tuning });
}

/** A create of `web.1` from template 421 (in the recordings) with the recorded "Compute Micro PRD" offering. */
export const webRequest: CreateInstanceRequest = {
  tag: { run: 'run_01jfixture', node: 'web', index: 1 },
  name: 'web.1',
  imageId: '421',
  instanceType: 'Compute Micro PRD',
  boot: { outputs: [{ name: 'hostname' }], inputs: { db_host: '10.0.0.5' }, readiness: 'running' },
};

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}
