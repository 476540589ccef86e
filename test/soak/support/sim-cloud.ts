/**
 * The sim cloud as its owner sees it, not as Slipway does: every account's VMs read
 * through the sim connector itself, VMs made to vanish behind Slipway's back, and the
 * faults the sim injected, recomputed from its seeded draws and its attempt counters.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CloudInstance, Connector, ConnectorConfig } from '#connectors/contract';
import { tagKey } from '#connectors/commons/tag';
import { simFaultFor, type SimFault } from '#connectors/sim/fault-injection';
import { simSettingsSchema } from '#connectors/sim/settings';
import { simKeys } from '#connectors/sim/sim-keys';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient } from '#functions/commons/clients';
import type { TableClient } from '#functions/store/table-client';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { LOCAL_TABLE } from '#infra/local/stack';

/** One account of one sim connector: the connector's config and the credential standing for the account. */
export interface SimAccountRef {
  config: ConnectorConfig;
  credentialId: string;
  /** Whose account it is (the credential's owner). */
  user: string;
}

/** A VM as the sim cloud lists it, with the account it lives in. */
export interface SimVm extends CloudInstance {
  account: SimAccountRef;
}

export type InjectedFaults = Record<Exclude<SimFault, 'none'>, number> & { attempts: number };

export interface SimCloud {
  /** The sim connector opened on `account`, exactly as Slipway opens it. */
  open(account: SimAccountRef): Connector;
  /** Every VM of every account, terminated ones included (the sim lists them for a day). */
  listAll(accounts: readonly SimAccountRef[]): Promise<SimVm[]>;
  /** The faults the sim drew for every create attempt it counted in `accounts`. */
  injectedFaults(accounts: readonly SimAccountRef[]): Promise<InjectedFaults>;
  /** The draw of each counted create attempt, in order, by `connector#credential#run#node#index`. */
  faultDraws(accounts: readonly SimAccountRef[]): Promise<Map<string, SimFault[]>>;
  close(): void;
}

export function simCloud(dynamoDbEndpoint: string): SimCloud {
  const client = new DynamoDBClient({ endpoint: dynamoDbEndpoint, ...LOCAL_AWS });
  const table: TableClient = { doc: documentClient(client), name: LOCAL_TABLE };
  /** Every counted create attempt's draw, by account and tag. */
  const faultDraws = async (accounts: readonly SimAccountRef[]) => {
    const draws = new Map<string, SimFault[]>();
    for (const account of accounts) {
      const settings = simSettingsSchema.parse(account.config.settings);
      const prefix = simKeys.attempts(account.config.name, account.credentialId, '');
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await table.doc.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
            ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.sk },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const tag = String(item.sk).slice(prefix.sk.length);
          const attempts = Array.from({ length: Number(item.attempts) }, (_, i) => simFaultFor(settings, tag, i + 1));
          draws.set(`${account.config.name}#${account.credentialId}#${tag}`, attempts);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return draws;
  };
  const open = (account: SimAccountRef) =>
    simKind.open(
      { config: account.config, credentialId: account.credentialId, secrets: { apiKey: 'soak', apiSecret: 'soak' } },
      { table, now: () => new Date() },
    );
  return {
    open,
    async listAll(accounts) {
      const lists = await Promise.all(accounts.map(async (account) => (await open(account).listInstances()).map((vm) => ({ ...vm, account }))));
      return lists.flat();
    },
    async injectedFaults(accounts) {
      const faults: InjectedFaults = { attempts: 0, transient: 0, lostResponse: 0, permanent: 0 };
      for (const draws of (await faultDraws(accounts)).values()) {
        for (const fault of draws) {
          faults.attempts++;
          if (fault !== 'none') faults[fault]++;
        }
      }
      return faults;
    },
    faultDraws,
    close: () => client.destroy(),
  };
}

/** Groups VMs by their tag (`run#node#index`); untagged VMs under `(untagged)`. */
export function vmsPerTag(vms: readonly SimVm[]): Map<string, SimVm[]> {
  const byTag = new Map<string, SimVm[]>();
  for (const vm of vms) {
    const key = vm.tag ? tagKey(vm.tag) : '(untagged)';
    byTag.set(key, [...(byTag.get(key) ?? []), vm]);
  }
  return byTag;
}
