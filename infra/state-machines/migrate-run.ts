/**
 * The migrate state machine (execution name = the new run's id; input `{ runId, from }`):
 * the new run deploys on its own deploy execution; this one looks at it every few
 * seconds (bounded by CheckMigration's deadline), then switches — the old run is
 * asked to terminate and names the new one — or gives up, tearing the new run down
 * and leaving the old one running (the execution then fails, naming why).
 */
import { MIGRATE } from './state-names';
import { taskResource } from './task-functions';
import { plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';
import { MIGRATION_POLL_SECONDS } from '#functions/domain/migration';

export const MIGRATE_TIMEOUT_SECONDS = 2 * 60 * 60;

export function migrateRunDefinition() {
  return {
    Comment: 'Slipway: migrate a run (execution name = the new run id).',
    TimeoutSeconds: MIGRATE_TIMEOUT_SECONDS,
    StartAt: MIGRATE.startMigration,
    States: {
      [MIGRATE.startMigration]: {
        Type: 'Pass',
        Result: { status: 'waiting', polls: 0 },
        ResultPath: '$.check',
        Next: MIGRATE.waitForNewRun,
      },
      [MIGRATE.waitForNewRun]: {
        Type: 'Wait',
        Seconds: MIGRATION_POLL_SECONDS,
        Next: MIGRATE.checkMigration,
      },
      [MIGRATE.checkMigration]: {
        Type: 'Task',
        Comment: 'Ready: terminate the old run; ended or too late: tear the new run down, the old one stays.',
        Resource: taskResource('CheckMigration'),
        Parameters: { 'runId.$': '$.runId', 'from.$': '$.from', 'polls.$': '$.check.polls' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        ResultPath: '$.check',
        Next: MIGRATE.isMigrationSettled,
      },
      [MIGRATE.isMigrationSettled]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.check.status', StringEquals: 'switched', Next: MIGRATE.migrated },
          { Variable: '$.check.status', StringEquals: 'failed', Next: MIGRATE.migrationFailed },
        ],
        Default: MIGRATE.waitForNewRun,
      },
      [MIGRATE.migrated]: { Type: 'Succeed' },
      [MIGRATE.migrationFailed]: {
        Type: 'Fail',
        Error: 'MigrationFailed',
        Cause: 'The new run was not Ready: it was torn down and the old run keeps running.',
      },
    },
  };
}
