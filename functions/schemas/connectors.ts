/**
 * Connector instances (admin writes, everyone reads). A kind's own `settings` are
 * checked here too, against the kind's schema in the registry, so one 400 lists
 * every bad field, settings included.
 */
import * as z from 'zod';
import type { ConnectorKindName } from '#connectors/contract';
import { availableKinds, connectorKind } from '#connectors/registry';
import { LIMITS, Name, PageQuery, ResourceMeta, VersionField, mapOf, pageOf } from './common';

/** The kinds the registry can open now: the only ones the API accepts and the document lists. */
const AVAILABLE = availableKinds() as [ConnectorKindName, ...ConnectorKindName[]];

/** Why `input` is not a kind to use: the registry's own words (unknown, or not available yet). */
function kindRefusal(input: unknown): string {
  if (input === undefined) return `required (available: ${AVAILABLE.join(', ')})`;
  try {
    connectorKind(String(input));
  } catch (error) {
    return (error as Error).message;
  }
  return `unknown connector kind (available: ${AVAILABLE.join(', ')})`;
}

/** A kind of the contract that the registry can open now. */
export const Kind = z.enum(AVAILABLE, { error: (issue) => kindRefusal(issue.input) });

/**
 * Issues of a kind-specific schema, placed under `prefix`; an unknown key gets
 * an issue of its own at its path, so the client sees which field to remove.
 */
export function nestedIssues(error: z.ZodError, prefix: string[]): { path: string[]; message: string }[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field' }));
    return [{ path, message: issue.message }];
  });
}

/** Checks `settings` against the kind's schema; runs even when other fields failed, so all errors show at once. */
function checkSettings(body: { kind?: unknown; settings?: unknown } | undefined, ctx: z.RefinementCtx): void {
  if (typeof body !== 'object' || body === null) return; // not an object at all: that is the only issue
  const kind = body.kind;
  if (typeof kind !== 'string' || !(availableKinds() as string[]).includes(kind)) return; // `kind` has its own issue
  const settings = body.settings ?? {};
  if (typeof settings !== 'object' || Array.isArray(settings) || settings === null) return; // so has `settings`
  const parsed = connectorKind(kind).settingsSchema.safeParse(settings);
  if (!parsed.success) for (const issue of nestedIssues(parsed.error, ['settings'])) ctx.addIssue({ code: 'custom', ...issue });
}

const always = { when: () => true };

const ConnectorFields = z.strictObject({
  kind: Kind,
  /** The cloud's API endpoint, e.g. `https://api.exoscale.com/v1`. */
  endpoint: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  zone: z.string().min(1).max(128).optional(),
  region: z.string().min(1).max(128).optional(),
  /** Minutes after which the monitor terminates an orphan VM on this connector; absent: orphans are only reported. */
  orphanGraceMinutes: z.int().min(1).max(10_080).optional(),
  /** VMs each user may hold on this connector unless an admin overrides it for them. */
  defaultQuotaVms: z.int().min(0).max(100_000),
  /** VMs a run creates on this connector at once. */
  maxIaasWorkers: z.int().min(1).max(100),
  /** Kind-specific (see the kind's settings); defaults are applied and stored. @default {} */
  settings: mapOf(z.string().max(LIMITS.nameLength), z.unknown()).default({}),
});

export const CreateConnectorBody = ConnectorFields.extend({ name: Name })
  .superRefine(checkSettings, always)
  .meta({ examples: [{ name: 'sim-eu', kind: 'sim', defaultQuotaVms: 10, maxIaasWorkers: 2, settings: { bootSeconds: 5 } }] });

/** A full replacement: fields left out are cleared (or back to their defaults); `kind` cannot change. */
export const ReplaceConnectorBody = ConnectorFields.extend(VersionField.shape).superRefine(checkSettings, always);

export const ConnectorParams = z.strictObject({ name: Name });

export const ConnectorListQuery = z.strictObject({ ...PageQuery.shape });

export const Connector = ResourceMeta.extend({
  name: Name,
  kind: Kind,
  endpoint: z.string().optional(),
  zone: z.string().optional(),
  region: z.string().optional(),
  orphanGraceMinutes: z.int().optional(),
  defaultQuotaVms: z.int(),
  maxIaasWorkers: z.int(),
  settings: z.record(z.string(), z.unknown()),
});

export const ConnectorPage = pageOf(Connector);

/** `GET /v1/connectors/{name}/<look-up>?credential=`: an admin may name any credential; a user gets theirs. */
export const LookupQuery = z.strictObject({ credential: z.string().min(1).max(64).optional() });

export const LookupItem = z.object({ id: z.string(), name: z.string(), cpu: z.number().optional(), ramMb: z.number().optional() });

export const LookupList = z.object({ items: z.array(LookupItem) });

export const ConnectorKindDescription = z.object({
  kind: Kind,
  /** JSON Schema of the connector's `settings` for this kind. */
  settings: z.record(z.string(), z.unknown()),
  /** JSON Schema of a credential's `secrets` for this kind. */
  secrets: z.record(z.string(), z.unknown()),
});

export const ConnectorKindList = z.object({ items: z.array(ConnectorKindDescription) });
