/**
 * Webhooks: where Slipway POSTs its events (run and instance state changes, drift,
 * orphans, quota refusals), signed with a secret shown once; and the deliveries
 * made to each, with their attempts. Also the event itself, as the bus carries it.
 */
import * as z from 'zod';
import { ALL_EVENT_TYPES, DELIVERY, EVENT_TYPES } from '#functions/domain/events';
import { IdParams, LIMITS, PageQuery, ResourceMeta, pageOf } from './common';

export const WEBHOOK_LIMITS = {
  /** Webhooks one user may hold (an admin's all-users webhooks count as theirs). */
  perUser: 10,
  /** A webhook URL's length. */
  urlLength: 2048,
  /** A webhook's description. */
  descriptionLength: LIMITS.shortText,
} as const;

export const EventType = z.enum(EVENT_TYPES);

/** An event type, or `*` for every type. */
const Subscription = z.union([EventType, z.literal(ALL_EVENT_TYPES)]);

export const CreateWebhookBody = z
  .strictObject({
    /**
     * `https://` to a public host (no credentials, no private, loopback, link-local or
     * reserved address, no local name); locally also `http://127.0.0.1`/`localhost`.
     */
    url: z
      .string()
      .min(1)
      .max(WEBHOOK_LIMITS.urlLength)
      .regex(/^https?:\/\//i, 'must be an https:// URL'),
    /** The event types to receive, or `["*"]` for all. */
    events: z
      .array(Subscription)
      .min(1)
      .max(EVENT_TYPES.length + 1)
      .refine((events) => new Set(events).size === events.length, 'each event type once'),
    description: z.string().max(WEBHOOK_LIMITS.descriptionLength).optional(),
    /** Admins only: receive every user's events, not only your own. */
    allUsers: z.boolean().optional(),
  })
  .meta({ examples: [{ url: 'https://hooks.example.com/slipway', events: ['slipway.run.state', 'slipway.quota.refused'], description: 'ops chat' }] });

export const WebhookParams = IdParams.strict();

export const WebhookListQuery = z.strictObject({ ...PageQuery.shape });

export const Webhook = ResourceMeta.extend({
  url: z.string(),
  events: z.array(Subscription),
  description: z.string().optional(),
  allUsers: z.boolean(),
});
export type WebhookView = z.output<typeof Webhook>;

/** The answer to a create: the webhook and, this once, its signing secret. */
export const CreatedWebhook = Webhook.extend({
  /** Keys the HMAC-SHA256 of `Slipway-Signature`; shown only here, never again. */
  secret: z.string(),
});

export const WebhookPage = pageOf(Webhook);

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One event's delivery to a webhook: `pending` while attempts remain, then `delivered` or `failed`. */
export const Delivery = z.object({
  id: z.string(),
  webhook: z.string(),
  eventId: z.string(),
  eventType: EventType,
  eventAt: z.iso.datetime(),
  status: z.enum(DELIVERY_STATUSES),
  /** Attempts made so far (at most 6). */
  attempts: z.number().int().min(0).max(DELIVERY.maxAttempts),
  lastAttemptAt: z.iso.datetime().optional(),
  /** The HTTP status of the last attempt, when the receiver answered. */
  lastStatusCode: z.number().int().optional(),
  /** Why the last attempt failed (timeout, connection refused, a refused address, a non-2xx answer). */
  lastError: z.string().optional(),
  lastDurationMs: z.number().int().min(0).optional(),
  /** When the next attempt is due (pending deliveries). */
  nextAttemptAt: z.iso.datetime().optional(),
  deliveredAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
});
export type DeliveryView = z.output<typeof Delivery>;

export const DeliveryPage = pageOf(Delivery);

/** An event as the bus carries it (`detail`) and a webhook receives it (the body): checked by the delivery function. */
export const SlipwayEventSchema = z.object({
  id: z.string().min(1).max(LIMITS.idLength),
  type: EventType,
  at: z.iso.datetime(),
  owner: z.string().min(1).max(LIMITS.idLength),
  run: z.string().min(1).max(LIMITS.idLength).optional(),
  order: z.string().min(1).max(LIMITS.idLength).optional(),
  product: z.string().min(1).max(LIMITS.idLength).optional(),
  message: z.string(),
  state: z.string().optional(),
  previousState: z.string().optional(),
  instance: z.string().optional(),
  instanceState: z.string().optional(),
  cloudId: z.string().optional(),
  connector: z.string().optional(),
});
