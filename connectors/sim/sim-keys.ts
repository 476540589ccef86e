/**
 * Where the simulated cloud keeps its items in Slipway's table: the sim's own key
 * formats, apart from Slipway's (`functions/store/keys.ts`), as a real cloud's
 * storage is apart from Slipway's. Every sim partition starts with `SIM#`.
 */
const account = (connector: string, accountId: string) => `SIM#${connector}#${accountId}`;

export const simKeys = {
  /** A VM in the account a credential stands for. */
  vm: (connector: string, accountId: string, vmId: string) => ({ pk: account(connector, accountId), sk: `VM#${vmId}` }),
  /** Every VM of an account. */
  vmPrefix: (connector: string, accountId: string) => ({ pk: account(connector, accountId), skPrefix: 'VM#' }),
  /** Guards one VM per tag in an account (idempotent create). */
  tag: (connector: string, accountId: string, tag: string) => ({ pk: account(connector, accountId), sk: `TAG#${tag}` }),
  /** Counts create attempts per VM tag, so seeded fault injection differs from one attempt to the next. */
  attempts: (connector: string, accountId: string, tag: string) => ({ pk: account(connector, accountId), sk: `ATTEMPTS#${tag}` }),
  /** A native image built in the account. */
  image: (connector: string, accountId: string, imageId: string) => ({ pk: account(connector, accountId), sk: `IMAGE#${imageId}` }),
  /** Every image built in an account. */
  imagePrefix: (connector: string, accountId: string) => ({ pk: account(connector, accountId), skPrefix: 'IMAGE#' }),
  /** Guards one image per image tag in an account (idempotent createImage). */
  imageTag: (connector: string, accountId: string, tag: string) => ({ pk: account(connector, accountId), sk: `IMAGETAG#${tag}` }),
  /** Counts createImage attempts per image tag, for seeded fault injection. */
  imageAttempts: (connector: string, accountId: string, tag: string) => ({ pk: account(connector, accountId), sk: `IMAGEATTEMPTS#${tag}` }),
} as const;
