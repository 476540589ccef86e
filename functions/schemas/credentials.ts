/**
 * Users' cloud credentials. `secrets` are write-only: checked against the
 * connector kind's schema by the route (it needs the connector), sealed, and
 * never shown again; responses list `secretFields` instead.
 */
import * as z from 'zod';
import { IdParams, LIMITS, Name, PageQuery, ResourceMeta, VersionField, mapOf, pageOf } from './common';
import { Kind } from './connectors';

/** Kind-specific, e.g. `sim`: `{apiKey, apiSecret}`. Values are never echoed in errors. */
// At most 32 fields keeps a credential far below DynamoDB's 400 KB item limit.
export const Secrets = mapOf(z.string().min(1).max(LIMITS.nameLength), z.string().max(8192), 32);

export const CreateCredentialBody = z
  .strictObject({
    /** The connector's name. */
    connector: Name,
    secrets: Secrets,
  })
  .meta({ examples: [{ connector: 'sim-eu', secrets: { apiKey: 'demo', apiSecret: 's3cret' } }] });

export const ReplaceCredentialBody = z.strictObject({ secrets: Secrets, ...VersionField.shape });

export const CredentialParams = IdParams.strict();

export const CredentialListQuery = z.strictObject({
  ...PageQuery.shape,
  /** Admin only: one user's credentials (default: the caller's; an admin's default is everyone's). */
  user: z.string().min(1).max(LIMITS.idLength).optional(),
});

export const Credential = ResourceMeta.extend({
  connector: Name,
  kind: Kind,
  /** Names of the stored secrets; their values are never returned. */
  secretFields: z.array(z.string()),
});

export const CredentialPage = pageOf(Credential);
