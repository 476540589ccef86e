/** A migration's timing: the migrate machine looks at the new run every few seconds, a bounded number of times. */
export const MIGRATION_POLL_SECONDS = 2;
/** Looks the new run gets to be Ready (30 minutes): past them it is torn down and the old run stays. */
export const MIGRATION_MAX_POLLS = (30 * 60) / MIGRATION_POLL_SECONDS;
