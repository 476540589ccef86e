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

/**
 * Input values for an instance from the parameters known so far: `db:hostname`
 * reads instance `db.1` (the first instance of the source node, as in SlipStream).
 */
export function resolveInputs(
  inputs: Record<string, string>,
  published: (node: string, index: number, name: string) => string | undefined,
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [param, mapping] of Object.entries(inputs)) {
    const source = parseSource(mapping);
    const value = source && published(source.node, 1, source.output);
    if (value === undefined) missing.push(param);
    else values[param] = value;
  }
  return { values, missing };
}
