/** The response check itself: what it lets through and what it refuses, against the served document. */
import { describe, expect, it } from 'vitest';
import { routeTableChecker } from '#test/support/openapi-check';

const problem = (status: number) => ({
  status,
  contentType: 'application/problem+json',
  body: { type: 'https://slipway.dev/problems/x', title: 'X', status, detail: 'x' },
  text: '{}',
});

describe('the OpenAPI response check', () => {
  it('accepts a declared status whose body matches its schema', () => {
    // Prepare
    const health = { status: 200, contentType: 'application/json', body: { status: 'ok' }, text: '{"status":"ok"}' };

    // Act
    const check = () => routeTableChecker().check('GET', '/v1/health', health);

    // Assess
    expect(check).not.toThrow();
  });

  it('refuses a status the route does not declare, naming the route and the declared ones', () => {
    // Act
    const check = () => routeTableChecker().check('GET', '/v1/health', problem(404));

    // Assess
    expect(check).toThrow(/GET \/v1\/health answered 404, which the document does not declare \(declared: 200, 500\)/);
  });

  it('refuses a field the schema does not declare, naming it', () => {
    // Prepare
    const run = {
      id: 'run_1',
      owner: 'usr_1',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 1,
      deployment: 'dep_1',
      deploymentVersion: 1,
      nodes: {},
      state: 'Ready',
      tags: {},
      quotaReserved: { 'sim-eu': 3 },
    };

    // Act
    const check = () =>
      routeTableChecker().check('GET', '/v1/runs/run_1', { status: 200, contentType: 'application/json', body: run, text: JSON.stringify(run) });

    // Assess
    expect(check).toThrow(/GET \/v1\/runs\/\{id\} 200: the body does not match the document: .*"quotaReserved"/);
  });

  it('refuses a problem sent as plain JSON', () => {
    // Act
    const check = () => routeTableChecker().check('GET', '/v1/runs/run_1', { ...problem(404), contentType: 'application/json' });

    // Assess
    expect(check).toThrow(/content type "application\/json", the document declares application\/problem\+json/);
  });

  it('refuses a body on a response the document declares empty', () => {
    // Act
    const check = () => routeTableChecker().check('DELETE', '/v1/images/img_1', { status: 204, contentType: 'application/json', body: {}, text: '{}' });

    // Assess
    expect(check).toThrow(/declares no body/);
  });
});
