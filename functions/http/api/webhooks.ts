/**
 * Routes of `/v1/webhooks`: register where Slipway POSTs its events, read and delete
 * webhooks, and see each one's deliveries. The signing secret is made here, shown
 * once in the create's answer, stored sealed, and never returned again. A user sees
 * only their own webhooks (404 otherwise); an admin sees everyone's and may register
 * one that receives every user's events (`allUsers`).
 */
import { newSecretToken } from '#functions/commons/api-keys';
import { ForbiddenError, ValidationError } from '#functions/domain/errors';
import { webhookUrlProblem } from '#functions/domain/webhook-urls';
import { userOf } from '#functions/http/kit/auth';
import { route, type RouteSpec } from '#functions/http/kit/route';
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveryPage,
  WEBHOOK_LIMITS,
  Webhook,
  WebhookListQuery,
  WebhookPage,
  WebhookParams,
} from '#functions/schemas/webhooks';
import { listDeliveries } from '#functions/store/webhook-deliveries';
import { createWebhook, deleteWebhook, getVisibleWebhook, listWebhooks } from '#functions/store/webhooks';

export const webhookRoutes: RouteSpec[] = [
  route({
    key: 'POST /v1/webhooks',
    operationId: 'createWebhook',
    summary: `Register a webhook for event types (or "*"); its signing secret is in this answer only (at most ${WEBHOOK_LIMITS.perUser} per user)`,
    access: 'user',
    body: CreateWebhookBody,
    response: CreatedWebhook,
    errors: [409],
    handle: async ({ caller, body }, deps) => {
      const who = userOf(caller);
      const problem = webhookUrlProblem(body.url, { allowLoopback: deps.config.webhooks().allowLoopback });
      if (problem) throw new ValidationError('The webhook URL is refused', [{ path: 'body.url', message: problem }]);
      if (body.allUsers && !who.isAdmin) throw new ForbiddenError("Only an admin may receive every user's events");
      const secret = newSecretToken('whsec');
      const webhook = await createWebhook(
        deps.table,
        {
          owner: who.userId,
          url: body.url,
          events: body.events,
          ...(body.description !== undefined ? { description: body.description } : {}),
          allUsers: body.allUsers === true,
          sealed: await deps.cipher().seal({ secret }),
        },
        deps.now(),
        WEBHOOK_LIMITS.perUser,
      );
      return { ...webhook, secret };
    },
  }),
  route({
    key: 'GET /v1/webhooks',
    operationId: 'listWebhooks',
    summary: "List your webhooks (an admin: everyone's), oldest first, without their secrets",
    access: 'user',
    query: WebhookListQuery,
    response: WebhookPage,
    handle: ({ caller, query }, deps) => listWebhooks(deps.table, userOf(caller), query),
  }),
  route({
    key: 'GET /v1/webhooks/{id}',
    operationId: 'getWebhook',
    summary: 'Read a webhook (without its secret)',
    access: 'user',
    params: WebhookParams,
    response: Webhook,
    handle: ({ caller, params }, deps) => getVisibleWebhook(deps.table, params.id, userOf(caller)),
  }),
  route({
    key: 'DELETE /v1/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook: no delivery is made to it any more',
    access: 'user',
    params: WebhookParams,
    status: 204,
    handle: async ({ caller, params }, deps) => {
      await deleteWebhook(deps.table, await getVisibleWebhook(deps.table, params.id, userOf(caller)));
      return undefined;
    },
  }),
  route({
    key: 'GET /v1/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: "A webhook's deliveries, newest event first: status, attempts, the last answer, the next attempt",
    access: 'user',
    params: WebhookParams,
    query: WebhookListQuery,
    response: DeliveryPage,
    handle: async ({ caller, params, query }, deps) => {
      const webhook = await getVisibleWebhook(deps.table, params.id, userOf(caller));
      return listDeliveries(deps.table, webhook.id, query);
    },
  }),
];
