/**
 * The functions of "events out" and what connects them: the bus, the rule that
 * sends Slipway's events to the delivery function, and the table stream's batches.
 * Read by the CDK stack and the local runner. Data only.
 */
import { EVENT_SOURCE } from '#functions/domain/events';

export const EVENT_FUNCTIONS = {
  /** Table stream (new run event items) → PutEvents on the bus. */
  publishEvents: { entry: 'functions/events/publish.ts' },
  /** The bus's rule → webhooks: one delivery per subscribed webhook, first attempt at once. */
  deliverWebhooks: { entry: 'functions/events/deliver.ts' },
} as const;

export type EventFunctionName = keyof typeof EVENT_FUNCTIONS;

/** Slipway's own EventBridge bus. */
export const EVENT_BUS_NAME = 'slipway-events';

/** The rule on the bus that delivers to webhooks: every event Slipway puts there. */
export const DELIVERY_RULE_PATTERN = { source: [EVENT_SOURCE] } as const;

/** Stream records handed to the publisher at once. */
export const STREAM_BATCH_SIZE = 100;
