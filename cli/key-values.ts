/** Values given on the command line (`key=value`, repeatable flags) or in a small YAML/JSON file. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { UsageError } from './exit-codes';

/** Commander's collector for a repeatable flag. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `key=value` flags as a map. @throws UsageError naming `flag` when one has no `=` */
export function pairs(specs: string[], flag: string): Record<string, string> {
  return Object.fromEntries(
    specs.map((spec) => {
      const at = spec.indexOf('=');
      if (at < 1) throw new UsageError(`${flag} ${spec}: expected key=value`);
      return [spec.slice(0, at), spec.slice(at + 1)];
    }),
  );
}

/** Values that read as JSON (numbers, booleans, lists) become those; the rest stay text. */
export function jsonValues(values: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([key, raw]) => {
      try {
        return [key, JSON.parse(raw) as unknown];
      } catch {
        return [key, raw];
      }
    }),
  );
}

/** A YAML or JSON file (- for stdin) holding one mapping. @throws UsageError when it cannot be read or is not one */
export function readObject(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${file}: expected one mapping of the API's fields`);
  return value as Record<string, unknown>;
}
