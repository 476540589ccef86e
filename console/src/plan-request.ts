/**
 * The preflight plan: `POST /v1/runs?dryRun=true` with the launch's own body answers
 * what the launch would do (200) without doing it, or the same 400 the launch would get.
 * A migration's plan is the same answer from `POST /v1/runs/{id}/migrate?dryRun=true`.
 */
import { ApiProblem, request } from './api';
import type { LaunchPlan, Run } from './types';

export type PlanOutcome =
  | { kind: 'plan'; plan: LaunchPlan }
  | { kind: 'problem'; problem: ApiProblem }
  /** An API without dry runs ignores the parameter and launches: said as it is, never shown as a plan. */
  | { kind: 'launched'; run: Run };

/** `path`: what would launch the run, `/runs` (a launch) or `/runs/<id>/migrate` (a migration). */
export async function requestPlan(body: unknown, path = '/runs'): Promise<PlanOutcome> {
  try {
    const answer = await request<LaunchPlan | Run>('POST', path, { query: { dryRun: true }, body });
    return 'dryRun' in answer && answer.dryRun === true ? { kind: 'plan', plan: answer } : { kind: 'launched', run: answer as Run };
  } catch (error) {
    if (error instanceof ApiProblem) return { kind: 'problem', problem: error };
    throw error;
  }
}
