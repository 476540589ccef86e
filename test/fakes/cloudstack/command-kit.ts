/** What every fake command works with, and the CloudStack error it throws. */
import type { FakeStore } from './store';

export interface FakeBehaviour {
  /** How long a deploy job runs. */
  deployJobMs: number;
  /** How long every other job runs. */
  jobMs: number;
  /** The largest `pagesize` allowed (CloudStack's `default.page.size`). */
  maxPageSize: number;
  /** Deploy jobs to fail, in order (the VM is left in Error, as CloudStack does). */
  deployJobFailures: { errorcode: number; errortext: string }[];
}

export interface CommandInput {
  /** Parameters by lower-cased name (first value of each). */
  params: Map<string, string>;
  store: FakeStore;
  behaviour: FakeBehaviour;
}

export type CommandResult = Record<string, unknown>;
export type Command = (input: CommandInput) => CommandResult;

/** A CloudStack error: sent with HTTP status = errorcode and the body of §1.6. */
export class FakeApiError extends Error {
  constructor(
    readonly errorcode: number,
    readonly errortext: string,
    readonly cserrorcode = 4350,
  ) {
    super(errortext);
  }
}

/** CloudStack's wording for an id that names nothing (or is malformed). */
export function invalidParameter(command: string, name: string, value: string): FakeApiError {
  return new FakeApiError(
    431,
    `Unable to execute API command ${command.toLowerCase()} due to invalid value. Invalid parameter ${name} value=${value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
  );
}

export function required(input: CommandInput, command: string, name: string): string {
  const value = input.params.get(name);
  if (value === undefined || value === '')
    throw new FakeApiError(431, `Unable to execute API command ${command.toLowerCase()} due to missing parameter ${name}`);
  return value;
}

/** `tags[0].key=a&tags[0].value=b&…` as pairs, in index order. */
export function tagParams(params: Map<string, string>): { key: string; value: string }[] {
  const pairs: { key: string; value: string }[] = [];
  for (let i = 0; params.has(`tags[${i}].key`); i++) pairs.push({ key: params.get(`tags[${i}].key`)!, value: params.get(`tags[${i}].value`) ?? '' });
  return pairs;
}

/** `page`/`pagesize` as CloudStack checks them: both or neither, pagesize within the server's limit. */
export function pageOf<T>(input: CommandInput, command: string, items: T[]): T[] {
  const page = input.params.get('page');
  const size = input.params.get('pagesize');
  if (page === undefined && size === undefined) return items;
  if (page === undefined || size === undefined)
    throw new FakeApiError(431, `Unable to execute API command ${command.toLowerCase()}: page and pagesize must be given together`);
  const n = Number(size);
  if (!(n >= 1 && n <= input.behaviour.maxPageSize))
    throw new FakeApiError(431, `Page size can't exceed max allowed page size value: ${input.behaviour.maxPageSize}`);
  const start = (Number(page) - 1) * n;
  return items.slice(start, start + n);
}

/** A list reply: `count` and the array only when there are items (CloudStack omits empty fields). */
export function listReply(itemKey: string, all: unknown[], page: unknown[]): CommandResult {
  return all.length === 0 ? {} : { count: all.length, [itemKey]: page };
}
