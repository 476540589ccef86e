/** `build --wait` and `builds cancel --wait`: poll image builds until each has ended, one line per step as they come. */
import { FINAL_BUILD_STATES, type BuildT } from './api-types';
import { ApiError, seg, type SlipwayClient } from './client';
import { pause } from './context';
import { CliError, EXIT } from './exit-codes';
import type { Terminal } from './render';
import { stepLine } from './build-text';

/** Consecutive failed polls of one build tolerated (a restarting local stack, a blip) before giving up. */
const MAX_FAILED_POLLS = 5;

export interface FollowBuildsOptions {
  /** Where the step lines go. */
  terminal?: Terminal;
  /** @default 1000 */
  pollMs?: number;
  /** Give up (exit 4) after this long; the builds go on. */
  timeoutMs?: number;
  /** Aborted (Ctrl-C): stop polling (exit 130); the builds go on. */
  signal?: AbortSignal;
}

export const isFinalBuild = (build: BuildT): boolean => FINAL_BUILD_STATES.includes(build.state);

/** Reads `builds` until every one has ended; returns them as they ended, in the same order. */
export async function followBuilds(client: SlipwayClient, builds: readonly BuildT[], options: FollowBuildsOptions = {}): Promise<BuildT[]> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const latest = [...builds];
  const shown = latest.map(() => 0);
  const failures = latest.map(() => 0);
  const show = (i: number) => {
    const build = latest[i]!;
    for (const step of build.steps.slice(shown[i])) options.terminal?.write(`${stepLine(build, step)}\n`);
    shown[i] = Math.max(shown[i]!, build.steps.length);
  };
  latest.forEach((_, i) => show(i));
  for (;;) {
    if (latest.every(isFinalBuild)) return latest;
    if (options.signal?.aborted)
      throw new CliError(`Stopped watching; the builds go on: ${latest.map((b) => `slipway builds show ${b.id}`).join(', ')}`, EXIT.interrupted);
    if (Date.now() > deadline) {
      const open = latest.filter((b) => !isFinalBuild(b));
      throw new CliError(
        `${open.map((b) => `Build ${b.id} is still ${b.state}`).join('; ')} after the timeout; it goes on: slipway builds show ${open[0]!.id}`,
        EXIT.timeout,
      );
    }
    await pause(options.pollMs ?? 1000, options.signal);
    for (const [i, build] of latest.entries()) {
      if (isFinalBuild(build)) continue;
      try {
        latest[i] = await client.get<BuildT>(`/builds/${seg(build.id)}`);
        failures[i] = 0;
      } catch (error) {
        const lasting = error instanceof ApiError && error.status < 500 && error.status !== 429;
        if (lasting || ++failures[i]! >= MAX_FAILED_POLLS) throw error;
      }
      show(i);
    }
  }
}
