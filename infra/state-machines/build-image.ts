/**
 * The image build state machine (execution name = build id; input `{ buildId }`): make the builder VM from
 * the parent's native image, wait (bounded) until its recipe reports done, snapshot it into a native image,
 * wait (bounded) until the image is available, write the image's new version, terminate the builder.
 * Every failure (recipe, snapshot refused, a deadline, a cancellation, a step out of retries) is caught into
 * RecordBuildFailure (outcome, reason, the half image deleted) and then TerminateBuilder too, so the
 * builder VM is gone and its quota released in every outcome.
 * Transitions of a Succeeded build: 3·(builder looks) + 3·(image looks) + 6.
 */
import { BUILD_ERROR, BUILD_IMAGE_DEADLINE_SECONDS, BUILD_RECIPE_DEADLINE_SECONDS } from '#functions/domain/builds';
import { cloudTaskRetries, plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';
import { BUILD } from './state-names';
import { taskResource } from './task-functions';

/** The recipe's and the image's deadlines, the retries' patience, and room for the teardown. */
export const BUILD_TIMEOUT_SECONDS = BUILD_RECIPE_DEADLINE_SECONDS + BUILD_IMAGE_DEADLINE_SECONDS + 60 * 60;

const toFailure = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: BUILD.recordBuildFailure }];

const buildTask = (name: Parameters<typeof taskResource>[0], comment: string, parameters: Record<string, unknown>, resultPath: string, next: string) => ({
  Type: 'Task',
  Comment: comment,
  Resource: taskResource(name),
  Parameters: parameters,
  TimeoutSeconds: TASK_TIMEOUT_SECONDS,
  Retry: cloudTaskRetries,
  Catch: toFailure,
  ResultPath: resultPath,
  Next: next,
});

export function buildImageDefinition() {
  const byBuild = { 'buildId.$': '$.buildId' };
  const withPolls = { 'buildId.$': '$.buildId', 'polls.$': '$.check.polls' };
  return {
    Comment: 'Slipway: build a native image of an image on one connector (execution name = build id).',
    TimeoutSeconds: BUILD_TIMEOUT_SECONDS,
    StartAt: BUILD.launchBuilder,
    States: {
      [BUILD.launchBuilder]: buildTask(
        'LaunchBuilder',
        "Reserve the builder in the owner's quota, make the builder VM from the parent's native image with the recipe and a build token.",
        byBuild,
        '$.check',
        BUILD.waitForBuilder,
      ),
      [BUILD.waitForBuilder]: {
        Type: 'Wait',
        Comment: "First look after the connector's usual boot time, then backing off.",
        SecondsPath: '$.check.waitSeconds',
        Next: BUILD.checkBuilder,
      },
      [BUILD.checkBuilder]: buildTask(
        'CheckBuilder',
        'One look at the builder: running and reported done? Failed, gone or past the recipe deadline fails the build.',
        withPolls,
        '$.check',
        BUILD.isBuilderDone,
      ),
      [BUILD.isBuilderDone]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.check.done', BooleanEquals: true, Next: BUILD.snapshotBuilder }],
        Default: BUILD.waitForBuilder,
      },
      [BUILD.snapshotBuilder]: buildTask(
        'SnapshotBuilder',
        'Ask the cloud for a native image of the builder (idempotent by the image name, which carries the build id).',
        byBuild,
        '$.check',
        BUILD.waitForImage,
      ),
      [BUILD.waitForImage]: {
        Type: 'Wait',
        Comment: 'The cloud makes the image: look again later.',
        SecondsPath: '$.check.waitSeconds',
        Next: BUILD.checkBuiltImage,
      },
      [BUILD.checkBuiltImage]: buildTask(
        'CheckBuiltImage',
        'One look at the native image: available, failed, or still pending (past the image deadline: TimedOut).',
        withPolls,
        '$.check',
        BUILD.isImageAvailable,
      ),
      [BUILD.isImageAvailable]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.check.done', BooleanEquals: true, Next: BUILD.recordBuiltImage }],
        Default: BUILD.waitForImage,
      },
      [BUILD.recordBuiltImage]: {
        ...buildTask(
          'RecordBuiltImage',
          "Write the image's next version with the built native id (merging with any version written meanwhile).",
          byBuild,
          '$.recorded',
          BUILD.terminateBuilder,
        ),
        Retry: plainTaskRetries,
      },
      [BUILD.recordBuildFailure]: {
        Type: 'Task',
        Comment: 'Record how the build ends and why; delete the half-made native image. Whatever happens here, the builder goes next.',
        Resource: taskResource('RecordBuildFailure'),
        Parameters: { 'buildId.$': '$.buildId', 'error.$': '$.error' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: cloudTaskRetries,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failureError', Next: BUILD.terminateBuilder }],
        ResultPath: '$.failure',
        Next: BUILD.terminateBuilder,
      },
      [BUILD.terminateBuilder]: {
        Type: 'Task',
        Comment: "Terminate the builder VM (every outcome comes here), revoke its token, release its quota, and settle the build's state.",
        Resource: taskResource('TerminateBuilder'),
        Parameters: byBuild,
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: cloudTaskRetries,
        ResultPath: '$.final',
        Next: BUILD.isBuildSucceeded,
      },
      [BUILD.isBuildSucceeded]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.final.state', StringEquals: 'Succeeded', Next: BUILD.buildSucceeded }],
        Default: BUILD.buildFailed,
      },
      [BUILD.buildSucceeded]: { Type: 'Succeed', Comment: 'The image has a new version with the built native id; the builder is gone.' },
      [BUILD.buildFailed]: { Type: 'Fail', Error: BUILD_ERROR.failed, CausePath: '$.final.reason' },
    },
  };
}
