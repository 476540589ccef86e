/** Opens a connector with a user's credential, for the steps that call a cloud. */
import type { Connector, ConnectorConfig } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { connectorKind } from '#connectors/registry';
import type { AppDeps } from '#functions/commons/deps';
import { openSecrets } from '#functions/store/credentials';
import { getConnector } from '#functions/store/connectors';
import { getItem } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import type { SealedSecret } from '#functions/commons/secret-cipher';

export async function openConnector(deps: AppDeps, connectorName: string, credentialId: string): Promise<{ connector: Connector; config: ConnectorConfig }> {
  const config = await getConnector(deps.table, connectorName);
  if (!config) throw new PermanentCloudError(`connector ${connectorName} no longer exists`);
  const credential = await getItem(deps.table, keys.credential(credentialId));
  if (!credential) throw new PermanentCloudError(`the credential for ${connectorName} was deleted`);
  const secrets = await openSecrets(deps.cipher(), credential.sealed as SealedSecret);
  const connector = connectorKind(config.kind).open({ config, credentialId, secrets }, { table: deps.table, now: deps.now });
  return { connector, config };
}
