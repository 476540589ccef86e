/**
 * Instance parameters: the `node:output` mapping syntax, the `node.index:name`
 * parameter path, and the built-in parameters Slipway fills from the cloud's own
 * view of a VM on every kind (product contract, "Built-in instance parameters").
 */

/** A resource or node name: lower-case letters, digits, `.`, `_` and `-`, starting and ending with a letter or digit. */
export const NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;
/** A parameter (input or output) name. */
export const PARAMETER_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

const name = NAME_PATTERN.source.slice(1, -1);
const parameter = PARAMETER_NAME_PATTERN.source.slice(1, -1);
/** `node:output`, e.g. `db:hostname`. */
export const SOURCE_PATTERN = new RegExp(`^(${name}):(${parameter})$`);
/** `node.index:name`, e.g. `web.2:db_host`. */
export const PARAMETER_PATH_PATTERN = new RegExp(`^(${name})\\.(\\d+):(${parameter})$`);

/** Parameters every instance has without its image declaring them. */
export const BUILT_IN_PARAMETERS = ['hostname', 'ip', 'instanceid'] as const;

/** The parameter a guest sets to say its boot script finished. */
export const READY_PARAMETER = 'ready';

/** The parameter a guest sets to say its recipe failed, and why: the run (or build) fails at the next look instead of at its deadline. */
export const FAILED_PARAMETER = 'failed';

/** `db:hostname` → `{ node: 'db', output: 'hostname' }`; undefined when malformed. */
export function parseSource(mapping: string): { node: string; output: string } | undefined {
  const match = SOURCE_PATTERN.exec(mapping);
  return match ? { node: match[1]!, output: match[3]! } : undefined;
}

/** `web.2:db_host` → `{ node: 'web', index: 2, name: 'db_host' }`; undefined when malformed. */
export function parseParameterPath(path: string): { node: string; index: number; name: string } | undefined {
  const match = PARAMETER_PATH_PATTERN.exec(path);
  return match ? { node: match[1]!, index: Number(match[3]), name: match[4]! } : undefined;
}

/** The built-in parameters of a VM as the cloud reports it; only those the cloud knows. */
export function builtInParameters(vm: { cloudId?: string; ip?: string }): Record<string, string> {
  return {
    ...(vm.cloudId ? { instanceid: vm.cloudId } : {}),
    ...(vm.ip ? { hostname: vm.ip, ip: vm.ip } : {}),
  };
}

/** Joins the values of every instance of a multi-valued source, in index order. */
export const MULTI_VALUE_SEPARATOR = ',';

/**
 * Input values for an instance from the parameters known so far. `db:hostname`
 * reads every live instance of `db` in index order (`indexesOf`, default `[1]`):
 * one instance gives its value as it is (SlipStream's `db.1` convention), several
 * give their values joined with `,` (`web:hostname` → `10.0.0.5,10.0.0.6`), and
 * the input stays missing until every one of them has published it.
 */
export function resolveInputs(
  inputs: Record<string, string>,
  published: (node: string, index: number, name: string) => string | undefined,
  indexesOf: (node: string) => number[] = () => [1],
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [param, mapping] of Object.entries(inputs)) {
    const source = parseSource(mapping);
    const indexes = source ? indexesOf(source.node) : [];
    const found = source ? indexes.map((index) => published(source.node, index, source.output)) : [];
    if (!found.length || found.some((value) => value === undefined)) missing.push(param);
    else values[param] = found.join(MULTI_VALUE_SEPARATOR);
  }
  return { values, missing };
}

/** The live instances of a run as `resolveInputs` reads them: a node's indexes in order, and each instance's parameters. */
export function liveSources(instances: { node: string; index: number; phase?: string; parameters: Record<string, string> }[]) {
  const live = instances.filter((i) => i.phase !== 'terminating' && i.phase !== 'terminated');
  return {
    published: (node: string, index: number, name: string) => live.find((i) => i.node === node && i.index === index)?.parameters[name],
    indexesOf: (node: string) =>
      live
        .filter((i) => i.node === node)
        .map((i) => i.index)
        .sort((a, b) => a - b),
  };
}
