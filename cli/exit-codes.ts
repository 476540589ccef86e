/**
 * What `slipway` exits with, so scripts and pipelines can tell outcomes apart.
 * The README lists the same table.
 */
export const EXIT = {
  /** Done as asked (`run --wait`: the run is Ready; `scale --wait`: Ready with the new count; `migrate --wait`: the new run Ready and the old Done; `build --wait`: every build Succeeded; `order --wait`: the order is Active). */
  ok: 0,
  /** The API refused or failed (4xx other than below, 5xx, no connection), a run ended Aborted, a scale rolled back, a migration or a build failed, an order Failed (or ended before it was Active), a launch plan has refusals. */
  failure: 1,
  /** The command line or an input file is wrong, or a confirmation was needed and could not be asked: nothing was changed. */
  usage: 2,
  /** Not found or not allowed: 401, 403, 404, or no URL / API key configured. */
  notFound: 3,
  /** `--wait` gave up after `--timeout`; the run (or order) goes on. */
  timeout: 4,
  /** Ctrl-C while waiting (128 + SIGINT); the run (or order) goes on. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one message and an exit code (no stack trace). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(message);
  }
}

/** A wrong command line or input file: exit 2, nothing changed. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
