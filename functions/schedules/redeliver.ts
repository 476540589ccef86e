/**
 * Redeliver schedule: the next attempt of each webhook delivery that is due (a failed
 * attempt's backoff has passed, or an attempt's worker died), found through the
 * expiry index's redelivery partition, never a Scan.
 */
import { redeliverDue } from '#functions/events/webhook-delivery';
import { scheduleHandler } from './schedule-handler';

export const handler = scheduleHandler('redeliver', redeliverDue);
