/**
 * Estimated cost of VMs from the connectors' price lists: the price of each VM's
 * instance type per hour, summed in integer minor units (never floating point).
 */
import type * as z from 'zod';
import type { MoneyT, PriceListInput } from '#functions/schemas/store-catalog';

export type Money = MoneyT;

/** What the estimate reads of a price list: the list as an admin gives it. */
export type PriceListLike = z.output<typeof PriceListInput>;

/** The hourly price of one VM of `instanceType` under `list`; undefined when the list has no price for it. */
export function hourlyPrice(list: PriceListLike, instanceType: string | undefined): number | undefined {
  if (instanceType !== undefined && Object.hasOwn(list.perHour, instanceType)) return list.perHour[instanceType];
  return list.defaultPerHour;
}

/**
 * Σ over `instances` of the hourly price of their instance type on their connector.
 * Undefined when there is no VM, when a VM's connector has no price list or no price for
 * its type (a partial sum would understate the cost), or when the lists' currencies differ.
 */
export function estimateHourlyCost(
  instances: readonly { connector: string; instanceType?: string }[],
  priceLists: ReadonlyMap<string, PriceListLike>,
): Money | undefined {
  if (!instances.length) return undefined;
  let amount = 0;
  let currency: string | undefined;
  for (const instance of instances) {
    const list = priceLists.get(instance.connector);
    const price = list && hourlyPrice(list, instance.instanceType);
    if (!list || price === undefined) return undefined;
    if (currency !== undefined && currency !== list.currency) return undefined;
    currency = list.currency;
    amount += price;
  }
  return currency === undefined ? undefined : { amount, currency };
}
