/**
 * Execution inputs: JSON text that StartExecution must refuse when it is not JSON,
 * and that decides whether a repeated start joins the running execution.
 */
import { SfnApiError } from './sfn-errors';

/** The parsed input, or InvalidExecutionInput. */
export function parseExecutionInput(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: input is not valid JSON');
  }
}

/**
 * Whether a stored input and a new one are the same document. Compared as JSON, not
 * as text, so a caller that re-serialises the same object in another key order or
 * spacing still joins its running execution.
 */
export function sameInput(stored: string, parsed: unknown): boolean {
  return JSON.stringify(canonical(JSON.parse(stored))) === JSON.stringify(canonical(parsed));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, canonical(object[key])]),
  );
}
