/**
 * Estimated hourly cost of what a launch would run: each planned VM priced by its
 * connector's price list (functions/domain/pricing.ts). The preflight plan shows it
 * for a launch, the catalog for a product (an order's run).
 */
import type { AppDeps } from '#functions/commons/deps';
import { estimateHourlyCost, type Money, type PriceListLike } from '#functions/domain/pricing';
import { getPriceList } from '#functions/store/price-lists';

/** The cost per hour of `instances` (absent without a price for every one of them). */
export async function estimatePlannedCost(deps: AppDeps, instances: readonly { connector: string; instanceType?: string }[]): Promise<Money | undefined> {
  const connectors = [...new Set(instances.map((i) => i.connector))];
  const lists = await Promise.all(connectors.map((connector) => getPriceList(deps.table, connector)));
  const byConnector = new Map<string, PriceListLike>(lists.flatMap((list, i) => (list ? [[connectors[i]!, list] as const] : [])));
  return estimateHourlyCost(instances, byConnector);
}
