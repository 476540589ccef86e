/**
 * The Keystone service catalog: where each service of the cloud answers.
 * Entries are matched on `type`, `interface` and `region` only, because real
 * catalogs (and the recorded one) may lack `name` and `region_id`.
 */
import { PermanentCloudError } from '#connectors/errors';

export interface CatalogEndpoint {
  interface?: string;
  region?: string;
  region_id?: string;
  url?: string;
}

export interface CatalogEntry {
  type?: string;
  endpoints?: CatalogEndpoint[];
}

/** The services Slipway calls, by catalog type. */
export type ServiceType = 'compute' | 'image';

/**
 * The public URL of service `type` in `region` (without a trailing slash).
 * Internal and admin URLs are skipped: they usually name hosts only reachable
 * inside the cloud (the recorded catalog's internal compute URL is `http://controller:8774/…`).
 * @throws PermanentCloudError naming the regions that do offer the service.
 */
export function publicUrl(catalog: CatalogEntry[], type: ServiceType, region: string | undefined, where: string): string {
  const endpoints = catalog.filter((entry) => entry.type === type).flatMap((entry) => entry.endpoints ?? []);
  const publics = endpoints.filter((endpoint) => endpoint.interface === 'public' && endpoint.url);
  const found = region === undefined ? publics[0] : publics.find((endpoint) => endpoint.region === region || endpoint.region_id === region);
  if (found?.url) return found.url.replace(/\/+$/, '');
  const regions = [...new Set(publics.map((endpoint) => endpoint.region ?? endpoint.region_id ?? '(none)'))];
  const offered = regions.length > 0 ? `it has a public ${type} endpoint in: ${regions.join(', ')}` : `it lists no public ${type} endpoint`;
  throw new PermanentCloudError(`the catalog of ${where} has no public ${type} endpoint${region ? ` in region ${region}` : ''} (${offered})`);
}
