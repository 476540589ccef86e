/**
 * The preflight plan: `POST /v1/runs?dryRun=true` with the launch's own body answers
 * what the launch would do (200) without doing it, or the same 400 the launch would get.
 */
import { ApiProblem, request } from './api';
import type { LaunchPlan, Run } from './types';

export type PlanOutcome =
  | { kind: 'plan'; plan: LaunchPlan }
  | { kind: 'problem'; problem: ApiProblem }
  /** An API without dry runs ignores the parameter and launches: said as it is, never shown as a plan. */
  | { kind: 'launched'; run: Run };

export async function requestPlan(body: unknown): Promise<PlanOutcome> {
  try {
    const answer = await request<LaunchPlan | Run>('POST', '/runs', { query: { dryRun: true }, body });
    return 'dryRun' in answer && answer.dryRun === true ? { kind: 'plan', plan: answer } : { kind: 'launched', run: answer as Run };
  } catch (error) {
    if (error instanceof ApiProblem) return { kind: 'problem', problem: error };
    throw error;
  }
}
