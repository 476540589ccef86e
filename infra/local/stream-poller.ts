/**
 * The local twin of Lambda's DynamoDB stream event source: reads the table's stream
 * from DynamoDB Local (DescribeStream, GetShardIterator, GetRecords), keeps the
 * records that match the same filter pattern the CDK stack sets, and invokes the
 * handler with a Lambda-shaped DynamoDB stream event, in order per shard, a parent
 * shard before its children. A batch whose invocation fails is invoked again (the
 * shard waits, as it does in AWS) up to `maxTries`, then set aside with a log line,
 * as the event source's on-failure destination would take it.
 */
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type AttributeValue,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesPattern, type Pattern } from './event-pattern';

export interface StreamPollerOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  /** The event source's filter pattern. */
  filter: Pattern;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Records per GetRecords (and so at most per invocation). */
  batchSize: number;
  /** The wait when no shard had anything new. */
  intervalMs: number;
  /** Invocations of one batch before it is set aside. */
  maxTries: number;
}

interface ShardState {
  parent?: string;
  iterator?: string;
  /** The last record handled: where to start again when an iterator is lost. */
  lastSequence?: string;
  done: boolean;
}

/** How often the shard list is read again (new shards appear as DynamoDB rolls them over). */
const DESCRIBE_EVERY_MS = 5_000;

/** A stream attribute as Lambda's JSON event carries it (binary as base64). */
function lambdaAttribute(value: AttributeValue): unknown {
  if ('B' in value && value.B) return { B: Buffer.from(value.B).toString('base64') };
  if ('BS' in value && value.BS) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if ('M' in value && value.M) return { M: lambdaImage(value.M) };
  if ('L' in value && value.L) return { L: value.L.map(lambdaAttribute) };
  return value;
}

const lambdaImage = (image: Record<string, AttributeValue> | undefined) =>
  image ? Object.fromEntries(Object.entries(image).map(([k, v]) => [k, lambdaAttribute(v)])) : undefined;

/** A GetRecords record as Lambda hands it to a function. */
function lambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: data.ApproximateCreationDateTime ? Math.floor(data.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: lambdaImage(data.Keys),
      NewImage: lambdaImage(data.NewImage),
      OldImage: lambdaImage(data.OldImage),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    },
  } as DynamoDBRecord;
}

export function startStreamPoller(options: StreamPollerOptions): { stop(): Promise<void> } {
  const shards = new Map<string, ShardState>();
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function describe(): Promise<void> {
    let start: string | undefined;
    do {
      const out = await options.streams.send(new DescribeStreamCommand({ StreamArn: options.streamArn, ExclusiveStartShardId: start }));
      for (const shard of out.StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !shards.has(shard.ShardId)) shards.set(shard.ShardId, { parent: shard.ParentShardId, done: false });
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** Invokes the handler with one batch, again while it fails (up to maxTries); never throws. */
  async function invoke(records: DynamoDBRecord[]): Promise<void> {
    for (let attempt = 1; running || attempt === 1; attempt++) {
      try {
        await options.handler({ Records: records });
        return;
      } catch (error) {
        if (attempt >= options.maxTries) {
          console.error(`stream batch of ${records.length} record(s) set aside after ${attempt} failed invocations:`, error);
          return;
        }
        await sleep(Math.min(200 * 2 ** attempt, 5_000));
      }
    }
  }

  /** One GetRecords on a shard; true when it had records. */
  async function poll(id: string, state: ShardState): Promise<boolean> {
    state.iterator ??= (
      await options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: options.streamArn,
          ShardId: id,
          ...(state.lastSequence ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.lastSequence } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      )
    ).ShardIterator;
    if (!state.iterator) {
      state.done = true;
      return false;
    }
    const out = await options.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: options.batchSize }));
    const records = out.Records ?? [];
    const matching = records.map((r) => lambdaRecord(r, options.streamArn)).filter((r) => matchesPattern(options.filter, r));
    if (matching.length) await invoke(matching);
    if (records.length) state.lastSequence = records.at(-1)!.dynamodb?.SequenceNumber;
    state.iterator = out.NextShardIterator;
    if (!state.iterator) state.done = true;
    return records.length > 0;
  }

  const ready = (state: ShardState) => !state.done && !(state.parent && shards.get(state.parent)?.done === false);

  const loop = (async () => {
    let described = 0;
    while (running) {
      let busy = false;
      try {
        if (Date.now() - described > DESCRIBE_EVERY_MS || ![...shards.values()].some(ready)) {
          await describe();
          described = Date.now();
        }
        for (const [id, state] of shards) if (running && ready(state)) busy = (await poll(id, state)) || busy;
      } catch (error) {
        if (!running) break;
        // An expired or trimmed iterator, DynamoDB Local busy: start the shards again from the last record handled.
        for (const state of shards.values()) state.iterator = undefined;
        console.error('local stream poller:', (error as Error).message);
      }
      if (running && !busy) await sleep(options.intervalMs);
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
