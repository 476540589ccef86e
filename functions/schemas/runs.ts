/** Runs as users launch and read them: the request, the response, events, instances and parameters. */
import * as z from 'zod';
import { FINAL_RUN_STATES, RUN_STATES, INSTANCE_STATES } from '#functions/domain/run-states';

/** Every run state in lifecycle order, and the final ones (clients such as the CLI take them from here). */
export { FINAL_RUN_STATES, RUN_STATES };
import { LIMITS, Name, PageQuery, Ref, ResourceMeta, isPrototypeKey, mapOf, pageOf } from './common';
import { Money } from './store-catalog';

/** Per-node overrides of a run: another connector, another multiplicity. */
const NodeOverrides = mapOf(Name, z.strictObject({ connector: Name.optional(), multiplicity: z.number().int().min(1).max(50).optional() }));

export const RunInput = z
  .strictObject({
    /** Deployment, by id, path (`shop/site`) or name. */
    deployment: Ref,
    /** Default connector for every node. */
    connector: Name.optional(),
    nodes: NodeOverrides.default({}),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    tags: mapOf(z.string().min(1).max(LIMITS.nameLength), z.string().max(LIMITS.shortText)).default({}),
  })
  .meta({ examples: [{ deployment: 'wordpress-site', connector: 'sim-eu', nodes: { web: { multiplicity: 3 } }, tags: { team: 'web' } }] });

/** `POST /v1/runs/{id}/scale`: the node of a Ready run to scale and the number of instances it should have. */
export const ScaleInput = z
  .strictObject({
    node: Name,
    multiplicity: z.number().int().min(1).max(50),
  })
  .meta({ examples: [{ node: 'web', multiplicity: 5 }] });

/** `POST /v1/runs/{id}/migrate`: the clouds to re-deploy on, for every node (`connector`) and/or per node (`nodes`). */
export const MigrateInput = z
  .strictObject({
    connector: Name.optional(),
    nodes: mapOf(Name, z.strictObject({ connector: Name })).default({}),
  })
  .refine((m) => m.connector !== undefined || Object.keys(m.nodes).length > 0, {
    message: 'give a connector, or nodes with their connectors',
    path: ['connector'],
  })
  .meta({ examples: [{ connector: 'sim-us' }, { nodes: { db: { connector: 'sim-us' } } }] });

/** `POST /v1/runs?dryRun=true` answers what the launch would do instead of launching. */
export const RunLaunchQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).optional() });

export const RunListQuery = PageQuery.extend({
  state: z.enum(RUN_STATES).optional(),
  /** The deployment, by name or id. */
  deployment: z.string().min(1).max(LIMITS.idLength).optional(),
});

/** A VM of a run as users see it: no intent bookkeeping, no credential, no token. */
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
export type InstanceResponse = z.output<typeof Instance>;

/**
 * A run as users see it: what they asked for (deployment, connector, node
 * overrides, expiry, tags), the version it used, where it is, and, when one run
 * is read, its instances. Quota, boot-poll and image-chain bookkeeping stay internal.
 */
export const Run = ResourceMeta.extend({
  /** The deployment's id. */
  deployment: z.string(),
  deploymentVersion: z.number().int(),
  connector: z.string().optional(),
  nodes: NodeOverrides,
  state: z.enum(RUN_STATES),
  abortReason: z.string().optional(),
  expiresAt: z.iso.datetime().optional(),
  tags: z.record(z.string(), z.string()),
  /** Milliseconds the run's cloud calls waited for the connector's shared request budget (absent: none). */
  budgetWaitMs: z.number().int().min(0).optional(),
  /** The run this one was re-deployed from by a migration (`POST /v1/runs/{id}/migrate`). */
  migratedFrom: z.string().optional(),
  /** The run this one was migrated to: set when that run was Ready and this one was asked to terminate. */
  migratedTo: z.string().optional(),
  /** The run a migration in progress is re-deploying this one as (until it is Ready, then `migratedTo`; gone if it failed). */
  migrating: z.string().optional(),
  /** The scale in progress (state Scaling): the node and its instance count before and after. */
  scaling: z.object({ node: z.string(), from: z.number().int(), to: z.number().int() }).optional(),
  /** Present when one run is read (not in lists). */
  instances: z.array(Instance).optional(),
});
export type RunResponse = z.output<typeof Run>;

export const RunPage = pageOf(Run);

/** One node of a preflight plan: where its VMs would go and what they would be made from. */
export const PlannedNode = z.object({
  node: z.string(),
  multiplicity: z.number().int(),
  connector: z.string(),
  /** The user's credential on the connector (its id: secrets are never shown). */
  credential: z.string().optional(),
  /** The native image id the connector would be asked for. */
  imageId: z.string(),
  /** The image chain it resolves through, the node's own image first. */
  images: z.array(z.object({ id: z.string(), version: z.number().int() })),
  instanceType: z.string().optional(),
  cpu: z.number().optional(),
  ramMb: z.number().optional(),
  diskGb: z.number().optional(),
});

/** The user's quota on one connector, before and after the launch. */
export const PlannedQuota = z.object({
  connector: z.string(),
  maxVms: z.number().int(),
  usedBefore: z.number().int(),
  needs: z.number().int(),
  usedAfter: z.number().int(),
  /** A migration's plan: VMs the run migrated from holds here during the overlap (already in `usedBefore`, released once the new run is Ready). */
  heldByMigratedRun: z.number().int().optional(),
});

/** What a launch would do, without doing it. A launch refuses exactly what `refusals` lists (the run would end Aborted naming them). */
export const LaunchPlan = z.object({
  dryRun: z.literal(true),
  /** The deployment's id and the version a launch would pin. */
  deployment: z.string(),
  deploymentVersion: z.number().int(),
  launchable: z.boolean(),
  nodes: z.array(PlannedNode),
  quotas: z.array(PlannedQuota),
  refusals: z.array(z.string()),
  /** A migration's plan: the run it would re-deploy (and terminate once the new run is Ready). */
  migratedFrom: z.string().optional(),
  /** The planned VMs' cost per hour from the connectors' price lists (absent without a price for every VM). */
  estimatedHourlyCost: Money.optional(),
});
export type LaunchPlanResponse = z.output<typeof LaunchPlan>;

export const RunEvent = z.object({ at: z.iso.datetime(), type: z.string(), state: z.enum(RUN_STATES).optional(), message: z.string() });
export type RunEventResponse = z.output<typeof RunEvent>;

export const ParameterParams = z.object({
  id: z.string().min(1).max(LIMITS.idLength),
  parameter: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*\.\d+:[A-Za-z0-9_.-]{1,64}$/, 'must be "node.index:name", e.g. "web.1:db_host"')
    .refine((p) => !isPrototypeKey(p.slice(p.indexOf(':') + 1)), 'a reserved name (a member of every object)'),
});

export const ParameterValue = z.strictObject({ value: z.string().max(LIMITS.valueLength) }).meta({ examples: [{ value: '10.0.0.12' }] });

/** One instance parameter: `name` is "node.index:name" as in the path. */
export const Parameter = z.object({ name: z.string(), value: z.string() });
