/** What every command works with: the output format and streams, the API client (configured lazily), the clock. */
import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { SlipwayClient } from './client';
import { loadConfig } from './config';
import { Output, type OutputFormat } from './render';

export interface Context {
  out: Output;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  /** The API client; throws (exit 3) when no URL or key is configured. */
  client(): SlipwayClient;
  now(): Date;
}

/** The context of `command`, with the global `--output` it was given. */
export function contextOf(command: Command): Context {
  const { output } = command.optsWithGlobals<{ output: OutputFormat }>();
  const out = new Output(output);
  let client: SlipwayClient | undefined;
  return {
    out,
    env: process.env,
    stdin: process.stdin,
    client: () => (client ??= new SlipwayClient(loadConfig(process.env, (line) => out.note(line)))),
    now: () => new Date(),
  };
}

/**
 * Runs `work` with a signal that Ctrl-C aborts (so a display can restore the
 * terminal and say how to go on); outside it, Ctrl-C ends the process as usual.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** Waits `ms`, or less when `signal` aborts (Ctrl-C); leaves no listener behind. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
