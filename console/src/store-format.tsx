/** Shared pieces of the app store's pages: order states, plan cells, product names. */
import { get, seg } from './api';
import { formatMoney } from './money';
import type { OrderState, Plan, ProductView } from './types';
import { useLoad } from './use-load';

/** How often an order that is still moving is read again. */
export const ORDER_POLL_MS = 1500;

/** Where an order stops moving by itself: Active until it ends; the others for good. */
export const SETTLED_ORDER_STATES: readonly OrderState[] = ['Active', 'Expired', 'Cancelled', 'Failed'];
export const ENDED_ORDER_STATES: readonly OrderState[] = ['Expired', 'Cancelled', 'Failed'];

export const termText = (plan: Plan) => (plan.termDays ? `${plan.termDays} days` : 'until cancelled');
export const trialText = (plan: Plan) => (plan.trialDays ? `${plan.trialDays} days` : 'none');

/** A plan in one phrase: "basic: 19.00 EUR/month + 0.04 EUR/VM-hour, 30-day term, 7 trial days". */
export function planPhrase(plan: Plan): string {
  const extras = [plan.termDays ? `${plan.termDays}-day term` : 'no term', plan.trialDays ? `${plan.trialDays} trial days` : undefined].filter(Boolean);
  return `${plan.name}: ${formatMoney(plan.monthlyFee)}/month + ${formatMoney(plan.vmHourPrice)}/VM-hour, ${extras.join(', ')}`;
}

/** The estimate the catalog shows, "0.09 EUR/h", or undefined (a vendor's own view has none; nor has a connector without a price list). */
export function hourlyEstimate(product: ProductView): string | undefined {
  const cost = 'estimatedHourlyCost' in product ? product.estimatedHourlyCost : undefined;
  return cost ? `${formatMoney(cost)}/h` : undefined;
}

/** Names of the products `ids` names (those the caller may read), loaded once per set of ids. */
export function useProductNames(ids: readonly string[]): Map<string, string> {
  const unique = [...new Set(ids)].sort();
  const names = useLoad(async () => {
    const found = await Promise.all(unique.map((id) => get<ProductView>(`/products/${seg(id)}`).catch(() => undefined)));
    return new Map(found.filter((p): p is ProductView => !!p).map((p) => [p.id, p.name]));
  }, [unique.join(',')]);
  return names.data ?? new Map();
}

/** `YYYY-MM` of now, in UTC (billing's months are UTC months). */
export const currentMonth = () => new Date().toISOString().slice(0, 7);
