/** `sim` against the conformance suite, over DynamoDB Local. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient } from '#functions/commons/clients';
import { ensureTable, startDynamo } from '#infra/local/dynamodb';
import { describeConformance } from './conformance';

describeConformance({
  kind: 'sim',
  async setup() {
    const dynamo = await startDynamo();
    await ensureTable(dynamo.client, 'slipway-conformance');
    const table = { doc: documentClient(dynamo.client as DynamoDBClient), name: 'slipway-conformance' };
    const config = { name: 'sim-conf', kind: 'sim' as const, maxIaasWorkers: 2, defaultQuotaVms: 10, settings: { bootSeconds: 0 } };
    const open = (secrets: Record<string, string>) => simKind.open({ config, credentialId: 'cred-conf', secrets }, { table, now: () => new Date() });
    return {
      connector: open({ apiKey: 'k', apiSecret: 's' }),
      openWithBadCredentials: () => open({ apiKey: 'k', apiSecret: '' }),
      imageId: 'sim-ubuntu-22.04',
      unknownImageId: 'sim-no-such-image',
      teardown: () => dynamo.stop(),
    };
  },
});
