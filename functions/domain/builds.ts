/**
 * Image builds: one per image and cloud. A builder VM from the parent's native image runs the image's
 * recipe and reports done, is snapshotted into a native image, and is terminated whatever happens; the
 * image then gets a new version whose `cloudImageIds` name the built image. Pure: states, limits, names, errors.
 */

export const BUILD_STATES = ['Pending', 'Launching', 'Running', 'Snapshotting', 'Succeeded', 'Failed', 'TimedOut', 'Cancelled'] as const;
export type BuildState = (typeof BUILD_STATES)[number];

/** States a build ends in: its builder VM is gone and its quota released. */
export const FINAL_BUILD_STATES: readonly BuildState[] = ['Succeeded', 'Failed', 'TimedOut', 'Cancelled'];
export const isFinalBuild = (state: BuildState): boolean => FINAL_BUILD_STATES.includes(state);

/** Build ids (`bld_…`): also the builder VM's tag `run`, so the monitor never takes a builder VM for an orphan. */
export const BUILD_ID_PREFIX = 'bld_';
export const isBuildId = (id: string): boolean => id.startsWith(BUILD_ID_PREFIX);

/** The builder VM's tag: run = the build id, node `builder`, index 1 (`builder.1`, what its token reports as). */
export const BUILDER_NODE = 'builder';
export const BUILDER_INSTANCE = `${BUILDER_NODE}.1`;

/** How long the recipe may take, from the builder's create to its report. */
export const BUILD_RECIPE_DEADLINE_SECONDS = 30 * 60;
/** How long the cloud may take to make the native image once asked. */
export const BUILD_IMAGE_DEADLINE_SECONDS = 15 * 60;
/** The first look at a native image being made; later looks back off like boot polls. */
export const BUILD_IMAGE_POLL_SECONDS = 5;
/** Retries of the image's version write when another change (or another cloud's build) wrote a version meanwhile. */
export const BUILD_RECORD_TRIES = 8;

/** Connectors one build request may name. */
export const MAX_BUILD_CONNECTORS = 10;

/** The native image's name: unique per build, so a retried snapshot finds the image it asked for. */
export function nativeImageName(imageName: string, version: number, buildId: string): string {
  return `slipway-${imageName}-v${version}-${buildId}`;
}

/** The error names the build machine's Catch tells apart (thrown by the build steps). */
export const BUILD_ERROR = {
  failed: 'BuildFailed',
  timedOut: 'BuildTimedOut',
  cancelled: 'BuildCancelled',
} as const;

/** The recipe failed, the builder VM went, or the cloud refused the image: the build is Failed. */
export class BuildFailedError extends Error {
  override readonly name = BUILD_ERROR.failed;
}

/** The recipe or the image took longer than its deadline: the build is TimedOut. */
export class BuildTimedOutError extends Error {
  override readonly name = BUILD_ERROR.timedOut;
}

/** Someone cancelled the build: it is Cancelled at its next look. */
export class BuildCancelledError extends Error {
  override readonly name = BUILD_ERROR.cancelled;
}

/** The state a build ends in after the machine caught `error` (its name), and why in words. */
export function failureOutcome(error: { Error?: string; Cause?: string } | undefined): { state: BuildState; reason: string } {
  const name = error?.Error ?? 'Unknown';
  const state: BuildState = name === BUILD_ERROR.timedOut ? 'TimedOut' : name === BUILD_ERROR.cancelled ? 'Cancelled' : 'Failed';
  return { state, reason: causeMessage(error?.Cause) ?? name };
}

/** Lambda's Cause is `{"errorType","errorMessage",…}` as JSON; the local runner's may be the message itself. */
function causeMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the message itself
  }
  return cause.slice(0, 1000);
}
