/**
 * Opens a connector with a user's credential, for the steps and schedules that
 * call a cloud: the connector's config, the credential's secrets (opened here and
 * never stored or logged), and the shared request budget of the pair.
 */
import type { Connector, ConnectorConfig } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { connectorImplementation } from '#connectors/implementations';
import type { AppDeps } from '#functions/commons/deps';
import { getConnector } from '#functions/store/connectors';
import { openSecrets, readSealedSecrets } from '#functions/store/credentials';
import { tableRateBudget, type MeteredBudget } from '#functions/store/rate-budget';

export interface OpenedConnector {
  connector: Connector;
  config: ConnectorConfig;
  /** The pair's request budget, when the connector sets `requestsPerSecond`. */
  budget?: MeteredBudget;
}

/** `settings.requestsPerSecond`, when it is a positive number. */
export function requestsPerSecond(config: ConnectorConfig): number | undefined {
  const value = config.settings.requestsPerSecond;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

export async function openConnector(deps: AppDeps, connectorName: string, credentialId: string): Promise<OpenedConnector> {
  const config = await getConnector(deps.table, connectorName);
  if (!config) throw new PermanentCloudError(`connector ${connectorName} no longer exists`);
  const sealed = await readSealedSecrets(deps.table, credentialId);
  if (!sealed) throw new PermanentCloudError(`the credential for ${connectorName} was deleted`);
  const secrets = await openSecrets(deps.cipher(), sealed);
  const rate = requestsPerSecond(config);
  const budget = rate ? tableRateBudget(deps.table, connectorName, credentialId, { requestsPerSecond: rate }) : undefined;
  const connector = connectorImplementation(config.kind).open({ config, credentialId, secrets }, { table: deps.table, now: deps.now, budget });
  return { connector, config, budget };
}
