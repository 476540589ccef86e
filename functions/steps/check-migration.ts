/**
 * CheckMigration: one look at a migration's new run. Ready → the old run names it
 * (`migratedTo`) and is asked to terminate; Aborted, or not Ready within the
 * deadline → the new run is torn down and the old one keeps running.
 */
import type { AppDeps } from '#functions/commons/deps';
import { checkMigration as check, type MigrationStatus } from '#functions/runs/migrate-run';
import { stepHandler, type RunInput } from './step';

export async function checkMigration(input: RunInput & { from: string; polls?: number }, deps: AppDeps): Promise<{ status: MigrationStatus; polls: number }> {
  return check(deps, input);
}

export const handler = stepHandler(checkMigration, { name: 'CheckMigration' });
