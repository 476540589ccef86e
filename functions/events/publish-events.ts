/**
 * Publishing: the run events a batch of table stream records inserted, as Slipway
 * events, put on the bus in order, ten at a time. An entry the bus refuses is tried
 * again a few times; if it still fails the whole batch fails, and the event source
 * retries it (every event carries an id derived from its item, so the deliveries of
 * a retried batch are not made twice).
 */
import { busBatches, toSlipwayEvent, type BusEntry } from '#functions/domain/events';
import { recordedEvents, type StreamRecordLike } from '#functions/store/event-items';

/** What publishing needs of the EventBridge client: PutEvents (`PutEventsCommand` input → output). */
export type PutEvents = (entries: BusEntry[]) => Promise<{ FailedEntryCount?: number; Entries?: { ErrorCode?: string; ErrorMessage?: string }[] }>;

/** Tries of the entries PutEvents refused. */
const TRIES = 3;

async function putAll(put: PutEvents, entries: BusEntry[]): Promise<void> {
  let pending = entries;
  for (let attempt = 1; pending.length; attempt++) {
    const out = await put(pending);
    if (!out.FailedEntryCount) return;
    const failed = pending.filter((_, i) => out.Entries?.[i]?.ErrorCode);
    if (attempt >= TRIES) {
      const why = out.Entries?.find((e) => e.ErrorCode);
      throw new Error(`PutEvents refused ${failed.length} event(s): ${why?.ErrorCode} ${why?.ErrorMessage ?? ''}`.trim());
    }
    pending = failed;
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

/** Publishes the run events among `records`; returns how many were put on the bus. */
export async function publishRecords(put: PutEvents, busName: string, records: readonly StreamRecordLike[]): Promise<number> {
  const events = recordedEvents(records).flatMap((recorded) => toSlipwayEvent(recorded) ?? []);
  for (const batch of busBatches(events, busName)) await putAll(put, batch);
  return events.length;
}
