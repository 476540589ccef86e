import { z } from 'zod';
import { RUN_STATES, INSTANCE_STATES } from '#functions/domain/run-states';
import { Name, PageQuery, ResourceMeta } from './common';

export const RunInput = z.strictObject({
  /** Deployment, by name or id. */
  deployment: z.string().min(1).max(128),
  /** Default connector for every node. */
  connector: Name.optional(),
  nodes: z.record(Name, z.strictObject({ connector: Name.optional(), multiplicity: z.number().int().min(1).max(50).optional() })).default({}),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  tags: z.record(z.string().min(1).max(64), z.string().max(256)).default({}),
});

export const RunListQuery = PageQuery.extend({
  state: z.enum(RUN_STATES).optional(),
  deployment: z.string().max(128).optional(),
});

export const Instance = z.object({
  name: z.string(),
  node: z.string(),
  index: z.number().int(),
  connector: z.string(),
  cloudId: z.string().optional(),
  state: z.enum(INSTANCE_STATES),
  rawState: z.string().optional(),
  ip: z.string().optional(),
  ready: z.boolean().optional(),
  parameters: z.record(z.string(), z.string()),
  error: z.string().optional(),
  drift: z.string().optional(),
});

export const Run = ResourceMeta.extend({
  deployment: z.string(),
  deploymentVersion: z.number().int(),
  connector: z.string().optional(),
  state: z.enum(RUN_STATES),
  abortReason: z.string().optional(),
  expiresAt: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  instances: z.array(Instance).optional(),
});

export const RunEvent = z.object({ at: z.string(), type: z.string(), state: z.enum(RUN_STATES).optional(), message: z.string() });

export const ParameterParams = z.object({
  id: z.string().min(1).max(128),
  parameter: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.\d+:[A-Za-z0-9_.-]{1,64}$/, 'must be "node.index:name", e.g. "web.1:db_host"'),
});

export const ParameterValue = z.strictObject({ value: z.string().max(4096) });
