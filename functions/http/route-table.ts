/**
 * Every HTTP route and the Lambda function that serves it: the single list read by
 * the CDK stack (API Gateway routes), the local HTTP server, and the handlers.
 * Data only, so importing it pulls no handler code.
 */
export const HTTP_FUNCTIONS = {
  meta: {
    entry: 'functions/http/meta.ts',
    routes: ['GET /v1/health', 'GET /v1/openapi.json'],
  },
  users: {
    entry: 'functions/http/users.ts',
    routes: [
      'POST /v1/users',
      'GET /v1/users',
      'GET /v1/users/{id}',
      'DELETE /v1/users/{id}',
      'POST /v1/users/{id}/keys',
      'GET /v1/users/{id}/keys',
      'DELETE /v1/users/{id}/keys/{keyId}',
    ],
  },
  connectors: {
    entry: 'functions/http/connectors.ts',
    routes: [
      'POST /v1/connectors',
      'GET /v1/connectors',
      'GET /v1/connectors/{name}',
      'PUT /v1/connectors/{name}',
      'DELETE /v1/connectors/{name}',
      'GET /v1/connectors/{name}/images',
      'GET /v1/connectors/{name}/instance-types',
      'GET /v1/connectors/{name}/zones',
      'GET /v1/connector-kinds',
      'GET /v1/orphans',
    ],
  },
  credentials: {
    entry: 'functions/http/credentials.ts',
    routes: ['POST /v1/credentials', 'GET /v1/credentials', 'GET /v1/credentials/{id}', 'PUT /v1/credentials/{id}', 'DELETE /v1/credentials/{id}'],
  },
  images: {
    entry: 'functions/http/images.ts',
    routes: [
      'POST /v1/images',
      'GET /v1/images',
      'GET /v1/images/{id}',
      'PUT /v1/images/{id}',
      'DELETE /v1/images/{id}',
      'GET /v1/images/{id}/versions',
      'PUT /v1/images/{id}/grants',
      'GET /v1/images/{id}/grants',
      'DELETE /v1/images/{id}/grants/{user}',
      'POST /v1/images/{id}/build',
      'GET /v1/builds',
      'GET /v1/builds/{id}',
      'POST /v1/builds/{id}/cancel',
      'PUT /v1/builds/{id}/parameters/{parameter}',
    ],
  },
  deployments: {
    entry: 'functions/http/deployments.ts',
    routes: [
      'POST /v1/deployments',
      'GET /v1/deployments',
      'GET /v1/deployments/{id}',
      'PUT /v1/deployments/{id}',
      'DELETE /v1/deployments/{id}',
      'GET /v1/deployments/{id}/versions',
      'GET /v1/projects',
      'PUT /v1/deployments/{id}/grants',
      'GET /v1/deployments/{id}/grants',
      'DELETE /v1/deployments/{id}/grants/{user}',
    ],
  },
  runs: {
    entry: 'functions/http/runs.ts',
    routes: [
      'POST /v1/runs',
      'GET /v1/runs',
      'GET /v1/runs/{id}',
      'POST /v1/runs/{id}/terminate',
      'POST /v1/runs/{id}/scale',
      'POST /v1/runs/{id}/migrate',
      'GET /v1/runs/{id}/events',
      'GET /v1/runs/{id}/instances',
      'GET /v1/runs/{id}/parameters/{parameter}',
      'PUT /v1/runs/{id}/parameters/{parameter}',
    ],
  },
  webhooks: {
    entry: 'functions/http/webhooks.ts',
    routes: ['POST /v1/webhooks', 'GET /v1/webhooks', 'GET /v1/webhooks/{id}', 'DELETE /v1/webhooks/{id}', 'GET /v1/webhooks/{id}/deliveries'],
  },
  quotas: {
    entry: 'functions/http/quotas.ts',
    routes: ['GET /v1/quotas', 'PUT /v1/quotas/{user}/{connector}', 'GET /v1/usage'],
  },
  billing: {
    entry: 'functions/http/billing.ts',
    routes: [
      'GET /v1/invoices',
      'GET /v1/invoices/{id}',
      'POST /v1/invoices/{id}/pay',
      'POST /v1/invoices/{id}/void',
      'POST /v1/billing/close',
      'GET /v1/billing/settings',
      'PUT /v1/billing/settings',
      'GET /v1/vendor/reports',
    ],
  },
  catalog: {
    entry: 'functions/http/catalog.ts',
    routes: [
      'POST /v1/products',
      'GET /v1/products',
      'GET /v1/products/{id}',
      'PUT /v1/products/{id}',
      'POST /v1/products/{id}/publish',
      'POST /v1/products/{id}/retire',
      'POST /v1/stores',
      'GET /v1/stores/{id}',
      'GET /v1/stores/{id}/buy/{product}',
      'PUT /v1/prices/{connector}',
      'GET /v1/prices/{connector}',
    ],
  },
  orders: {
    entry: 'functions/http/orders.ts',
    routes: ['POST /v1/orders', 'GET /v1/orders', 'GET /v1/orders/{id}', 'POST /v1/orders/{id}/cancel', 'POST /v1/orders/{id}/renew'],
  },
} as const;

export type HttpFunctionName = keyof typeof HTTP_FUNCTIONS;
export type RouteKey = (typeof HTTP_FUNCTIONS)[HttpFunctionName]['routes'][number];
