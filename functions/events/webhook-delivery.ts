/**
 * Delivering events to webhooks. An event goes to every webhook of its owner (and
 * every admin's all-users webhook) that subscribes to its type and existed when it
 * happened: one delivery record per (webhook, event), made with its first attempt,
 * so a repeated event is never delivered twice. Each attempt POSTs the same body,
 * signed afresh (`Slipway-Signature` over `<timestamp>.<body>`); a failed one is due
 * again after a growing, jittered wait, up to six attempts, which the redeliver
 * schedule makes. Secrets are opened here and never logged.
 */
import type { AppDeps } from '#functions/commons/deps';
import { logger } from '#functions/commons/observability';
import { DELIVERY, retryDelayMs, signature, subscribes, type SlipwayEvent } from '#functions/domain/events';
import {
  abandonDelivery,
  claimAttempt,
  listDueDeliveries,
  openDelivery,
  recordAttempt,
  type AttemptOutcome,
  type DeliveryDoc,
} from '#functions/store/webhook-deliveries';
import { getWebhookTarget, webhooksFor, type WebhookTarget } from '#functions/store/webhooks';
import { postWebhook } from './webhook-post';

/** Due deliveries one redeliver tick takes on, and how many it sends at once. */
const REDELIVER_BATCH = 50;
const REDELIVER_AT_ONCE = 10;

const leaseFrom = (now: Date) => new Date(now.getTime() + DELIVERY.leaseMs);

/** The headers of one attempt: what the event is, when it was signed, and the signature. */
export function deliveryHeaders(delivery: Pick<DeliveryDoc, 'id' | 'eventId' | 'eventType' | 'payload' | 'attempts'>, secret: string, now: Date) {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'Slipway-Webhooks/1',
    'slipway-event-id': delivery.eventId,
    'slipway-event-type': delivery.eventType,
    'slipway-delivery-id': delivery.id,
    'slipway-attempt': String(delivery.attempts),
    'slipway-timestamp': String(timestamp),
    'slipway-signature': signature(secret, timestamp, delivery.payload),
  };
}

/** Makes the claimed attempt `delivery.attempts` and records what came of it. */
async function attempt(deps: AppDeps, webhook: WebhookTarget, delivery: DeliveryDoc): Promise<AttemptOutcome> {
  const settings = deps.config.webhooks();
  const { secret } = await deps.cipher().open(webhook.sealed);
  if (!secret) throw new Error(`the secret of webhook ${webhook.id} did not open`);
  const result = await postWebhook(webhook.url, deliveryHeaders(delivery, secret, deps.now()), delivery.payload, {
    allowLoopback: settings.allowLoopback,
    timeoutMs: DELIVERY.timeoutMs,
  });
  const at = deps.now();
  const delivered = result.error === undefined;
  const wait = delivered ? undefined : retryDelayMs(delivery.attempts, settings.retryBaseMs);
  const outcome: AttemptOutcome = {
    at,
    delivered,
    statusCode: result.status,
    error: result.error,
    durationMs: result.durationMs,
    ...(wait !== undefined ? { retryAt: new Date(at.getTime() + wait) } : {}),
  };
  await recordAttempt(deps.table, delivery, outcome);
  const log = { webhook: webhook.id, delivery: delivery.id, event: delivery.eventId, attempt: delivery.attempts, status: result.status };
  if (delivered) logger.info('webhook delivered', log);
  else logger.warn('webhook delivery failed', { ...log, error: result.error, retryAt: outcome.retryAt?.toISOString() });
  return outcome;
}

/**
 * Delivers `event` to the webhooks that want it; each first attempt at once, in parallel.
 * @returns how many deliveries this call made (0 for an event seen before)
 */
export async function deliverEvent(deps: AppDeps, event: SlipwayEvent): Promise<number> {
  const targets = (await webhooksFor(deps.table, event.owner)).filter((w) => subscribes(w.events, event.type) && w.createdAt <= event.at);
  const payload = JSON.stringify(event);
  const made = await Promise.all(
    targets.map(async (webhook) => {
      const now = deps.now();
      const delivery = await openDelivery(
        deps.table,
        { webhook: webhook.id, owner: webhook.owner, eventId: event.id, eventType: event.type, eventAt: event.at, payload },
        now,
        leaseFrom(now),
        DELIVERY.retentionDays,
      );
      if (!delivery) return 0; // delivered to this webhook before: a repeated event
      await attempt(deps, webhook, delivery);
      return 1;
    }),
  );
  return made.reduce<number>((a, b) => a + b, 0);
}

export interface RedeliverReport {
  due: number;
  delivered: number;
  failed: number;
  /** Given up: the last attempt failed, or the webhook is gone. */
  abandoned: number;
  /** Not made this tick (a table or KMS error): due again once the claim's lease passes. */
  errors: number;
}

/** The redeliver schedule: the next attempt of every delivery that is due (a batch per tick, earliest first). */
export async function redeliverDue(deps: AppDeps): Promise<RedeliverReport> {
  const due = await listDueDeliveries(deps.table, deps.now(), REDELIVER_BATCH);
  const report: RedeliverReport = { due: due.length, delivered: 0, failed: 0, abandoned: 0, errors: 0 };
  const queue = [...due];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        const outcome = await redeliver(deps, next);
        if (outcome) report[outcome]++;
      } catch (error) {
        // The table or KMS failed: the claim's lease runs out and a later tick tries again.
        report.errors++;
        logger.warn('redelivery could not be made', { delivery: next.id, error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REDELIVER_AT_ONCE, queue.length) }, worker));
  return report;
}

async function redeliver(deps: AppDeps, due: DeliveryDoc): Promise<'delivered' | 'failed' | 'abandoned' | undefined> {
  // Its last attempt was claimed but never reported (the worker died): no attempt is left.
  if (due.attempts >= DELIVERY.maxAttempts) {
    await abandonDelivery(deps.table, due, `attempt ${due.attempts} never reported and no attempt is left`);
    return 'abandoned';
  }
  const webhook = await getWebhookTarget(deps.table, due.webhook);
  if (!webhook) {
    await abandonDelivery(deps.table, due, 'the webhook was deleted');
    return 'abandoned';
  }
  const now = deps.now();
  const claimed = await claimAttempt(deps.table, due, now, leaseFrom(now));
  if (!claimed) return undefined; // another tick took it
  const outcome = await attempt(deps, webhook, claimed);
  return outcome.delivered ? 'delivered' : outcome.retryAt ? 'failed' : 'abandoned';
}
