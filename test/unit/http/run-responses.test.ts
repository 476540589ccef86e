/** What a run shows users: the contract's fields, none of the steps' bookkeeping. */
import { describe, expect, it } from 'vitest';
import { toRunResponse } from '#functions/http/api/run-responses';
import type { InstanceDoc, RunDoc } from '#functions/store/runs';

const stored: RunDoc = {
  id: 'run_1',
  owner: 'usr_1',
  deployment: 'dep_1',
  deploymentVersion: 2,
  connector: 'sim-eu',
  nodes: { web: { multiplicity: 3 } },
  state: 'Ready',
  tags: { team: 'web' },
  quotaReserved: { 'sim-eu': 4 },
  quotaReleased: false,
  bootPolls: 7,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:01:00.000Z',
  version: 5,
};

describe('toRunResponse', () => {
  it('shows what the user asked for and where the run is, without quota or boot bookkeeping', () => {
    // Act
    const response = toRunResponse({ ...stored, ...({ imageVersions: { web: [] } } as object) } as RunDoc);

    // Assess
    expect(Object.keys(response).sort()).toEqual(
      [
        'connector',
        'createdAt',
        'deployment',
        'deploymentVersion',
        'id',
        'nodes',
        'owner',
        'state',
        'tags',
        'updatedAt',
        'version',
        'abortReason',
        'expiresAt',
        'budgetWaitMs',
      ].sort(),
    );
    expect(response).toMatchObject({ nodes: { web: { multiplicity: 3 } }, deploymentVersion: 2, state: 'Ready' });
  });

  it('shows instances without their credential, token hash or intent phase', () => {
    // Prepare
    const instance = {
      run: 'run_1',
      node: 'web',
      index: 1,
      name: 'web.1',
      connector: 'sim-eu',
      credentialId: 'cred_1',
      phase: 'created',
      state: 'running',
      cloudId: 'vm-1',
      ip: '10.0.0.1',
      parameters: { hostname: 'web-1' },
      tokenHash: 'abc',
    } as unknown as InstanceDoc;

    // Act
    const [shown] = toRunResponse(stored, [instance]).instances ?? [];

    // Assess
    expect(shown).toMatchObject({ name: 'web.1', state: 'running', cloudId: 'vm-1', parameters: { hostname: 'web-1' } });
    expect(shown).not.toHaveProperty('credentialId');
    expect(shown).not.toHaveProperty('tokenHash');
    expect(shown).not.toHaveProperty('phase');
  });
});
