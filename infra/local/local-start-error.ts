/**
 * A reason the local stack cannot start, worded for the person who ran
 * `npm start`: `main.ts` prints the message as one line, without a stack trace.
 */
export class LocalStartError extends Error {
  override name = 'LocalStartError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
