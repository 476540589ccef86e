/**
 * The history of one execution: numbered AWS-shaped events, kept in memory while it
 * runs and stored gzipped in its table item once it ends.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { historyFields, type HistoryContext, type HistoryFields, type LibraryEvent } from './sfn-history-events';

/** A history event as kept: `timestamp` in epoch milliseconds, so it survives JSON. */
export type StoredHistoryEvent = HistoryFields & { id: number; previousEventId: number; timestamp: number };

/**
 * At most this many events are kept per execution — the most recent ones, since the
 * end says how it ended; ids keep counting, so a gap at the start shows the cut. The cap
 * keeps the gzipped history well inside the 400 KB DynamoDB item it is stored in
 * (AWS itself allows 25,000 events; Slipway's executions stay far below either).
 */
export const HISTORY_CAP = 2_000;

export class ExecutionHistory {
  private readonly kept: StoredHistoryEvent[] = [];
  private lastId = 0;

  private readonly context: HistoryContext;

  constructor(context: HistoryContext) {
    this.context = { failedTasks: new Set(), ...context };
  }

  /** Appends the AWS events that one library event stands for. */
  record(event: LibraryEvent): void {
    for (const fields of historyFields(event, this.context)) {
      this.lastId += 1;
      // previousEventId: AWS points at the causing event; the one before is close enough locally.
      this.kept.push({ ...fields, id: this.lastId, previousEventId: this.lastId - 1, timestamp: event.timestamp });
      if (this.kept.length > HISTORY_CAP) this.kept.shift();
    }
  }

  get events(): readonly StoredHistoryEvent[] {
    return this.kept;
  }
}

export function encodeHistory(events: readonly StoredHistoryEvent[]): Uint8Array {
  return gzipSync(JSON.stringify(events));
}

export function decodeHistory(encoded: Uint8Array | undefined): StoredHistoryEvent[] {
  return encoded ? (JSON.parse(gunzipSync(encoded).toString('utf8')) as StoredHistoryEvent[]) : [];
}

/**
 * The event as the API returns it.
 * @param includeExecutionData false drops inputs and outputs, like AWS's `includeExecutionData`.
 */
export function toHistoryEvent(stored: StoredHistoryEvent, includeExecutionData: boolean): HistoryEvent {
  const event: Record<string, unknown> = { ...stored, timestamp: new Date(stored.timestamp) };
  if (!includeExecutionData) {
    for (const [key, value] of Object.entries(event)) {
      if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) {
        const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
        event[key] = rest;
      }
    }
  }
  return event as unknown as HistoryEvent;
}
