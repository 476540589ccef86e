/** `GET /v1/orphans`: VMs tagged as Slipway's that no run owns, as the monitor found them (admins). */
import * as z from 'zod';
import { route, type RouteSpec } from '#functions/http/kit/route';
import { PageQuery, pageOf } from '#functions/schemas/common';
import { listOrphans } from '#functions/store/orphans';

const Orphan = z.object({
  connector: z.string(),
  credentialId: z.string(),
  cloudId: z.string(),
  tag: z.object({ run: z.string(), node: z.string(), index: z.number().int() }),
  rawState: z.string(),
  firstSeenAt: z.string(),
  /** Set once the monitor terminated it (after the connector's `orphanGraceMinutes`). */
  terminatedAt: z.string().optional(),
});

export const orphanRoutes: RouteSpec[] = [
  route({
    key: 'GET /v1/orphans',
    operationId: 'listOrphans',
    summary: "VMs tagged as Slipway's that no run owns, oldest first, as the monitor found them",
    access: 'admin',
    query: z.strictObject({ ...PageQuery.shape }),
    response: pageOf(Orphan),
    handle: ({ query }, deps) => listOrphans(deps.table, query),
  }),
];
