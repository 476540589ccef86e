/**
 * A product as `slipway products create` takes it: a YAML/JSON file of the API's own
 * fields (`POST /v1/products`) and/or flags. Money may be written as people write it
 * ("19.00 EUR") or as the API holds it (`{amount: 1900, currency: EUR}`); it is turned
 * into minor units with integer arithmetic. Plans on the command line:
 * `--plan name=basic,monthly=19.00EUR,vm-hour=0.04EUR,term=30,trial=7`.
 */
import type { CredentialT, ProductInputT } from './api-types';
import type { SlipwayClient } from './client';
import { UsageError } from './exit-codes';
import { parseMoney, type MoneyLike } from './money';

type Plan = ProductInputT['plans'][number];

/**
 * `value` as the API's money: an object passes as it is (the API checks it), a string is read as "19.00 EUR".
 * @throws UsageError naming `where` when it is neither
 */
export function moneyField(value: unknown, where: string): MoneyLike {
  if (typeof value === 'object' && value !== null) return value as MoneyLike;
  if (typeof value === 'string') {
    const money = parseMoney(value);
    if (money) return money;
  }
  throw new UsageError(`${where}: ${JSON.stringify(value)} is not an amount of money (write it as "19.00 EUR", in the currency's major unit)`);
}

/** The plans of a file, their money fields read as {@link moneyField}. */
export function filePlans(value: unknown, file: string): Plan[] {
  if (!Array.isArray(value)) throw new UsageError(`${file}: plans must be a list`);
  return value.map((plan: unknown, i) => {
    if (typeof plan !== 'object' || plan === null) throw new UsageError(`${file}: plans[${i}] must be a mapping`);
    const fields = plan as Record<string, unknown>;
    return {
      ...fields,
      ...(fields.monthlyFee === undefined ? {} : { monthlyFee: moneyField(fields.monthlyFee, `${file}: plans[${i}].monthlyFee`) }),
      ...(fields.vmHourPrice === undefined ? {} : { vmHourPrice: moneyField(fields.vmHourPrice, `${file}: plans[${i}].vmHourPrice`) }),
    } as Plan;
  });
}

const PLAN_KEYS = ['name', 'monthly', 'vm-hour', 'term', 'trial'] as const;

/**
 * One `--plan name=basic,monthly=19.00EUR,vm-hour=0.04EUR,term=30,trial=7`.
 * @throws UsageError naming the flag and what is wrong
 */
export function parsePlanFlag(spec: string): Plan {
  const values: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    if (at < 1 || !(PLAN_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(
        `--plan ${spec}: expected ${PLAN_KEYS.map((k) => `${k}=…`).join(',')} (term and trial optional), e.g. name=basic,monthly=19.00EUR,vm-hour=0.04EUR`,
      );
    }
    values[key] = part.slice(at + 1).trim();
  }
  for (const key of ['name', 'monthly', 'vm-hour'] as const) if (!values[key]) throw new UsageError(`--plan ${spec}: ${key}= is required`);
  const days = (key: 'term' | 'trial') => {
    const text = values[key];
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new UsageError(`--plan ${spec}: ${key}=${text} is not a whole number of days`);
    return Number(text);
  };
  const termDays = days('term');
  const trialDays = days('trial');
  return {
    name: values.name!,
    monthlyFee: moneyField(values.monthly, `--plan ${spec}: monthly`),
    vmHourPrice: moneyField(values['vm-hour'], `--plan ${spec}: vm-hour`),
    ...(termDays === undefined ? {} : { termDays }),
    ...(trialDays === undefined ? {} : { trialDays }),
  };
}

/**
 * The caller's credential on `connector` when they name none: their only one there.
 * @throws UsageError when they have none there, or several (an admin sees everyone's: they name it)
 */
export async function ownCredential(client: SlipwayClient, connector: string): Promise<string> {
  const found = (await client.listAll<CredentialT>('/credentials')).filter((c) => c.connector === connector);
  if (found.length === 1) return found[0]!.id;
  if (!found.length) throw new UsageError(`You have no credential for connector "${connector}": slipway credentials create --connector ${connector} …`);
  throw new UsageError(`Several credentials for connector "${connector}" (${found.map((c) => c.id).join(', ')}): name one with --credential`);
}
