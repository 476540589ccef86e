/**
 * Checks a connector's settings and a credential's secrets against a kind's schemas
 * when the kind is opened, as a real cloud checks them on the first call: invalid
 * ones are a permanent error naming the bad fields, and a secret's value is never echoed.
 */
import type { z } from 'zod';
import type { ConnectorSession } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';

/** The failing fields; with their messages only when those cannot hold a secret. */
export function describeIssues(error: z.ZodError, withMessages: boolean): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || '(root)';
      return withMessages ? `${path}: ${issue.message}` : path;
    })
    .join(', ');
}

/**
 * The session's settings and secrets, parsed by the kind's schemas.
 * @throws PermanentCloudError for invalid settings, or for secrets that do not fit (an authentication failure).
 */
export function parseSession<S extends z.ZodType, T extends z.ZodType>(
  kind: string,
  session: ConnectorSession,
  schemas: { settings: S; secrets: T },
): { settings: z.output<S>; secrets: z.output<T> } {
  const { config, credentialId } = session;
  const settings = schemas.settings.safeParse(config.settings);
  if (!settings.success) throw new PermanentCloudError(`${kind} connector ${config.name} has invalid settings: ${describeIssues(settings.error, true)}`);
  const secrets = schemas.secrets.safeParse(session.secrets);
  if (!secrets.success) {
    throw new PermanentCloudError(
      `authentication failed for credential ${credentialId} on ${kind} connector ${config.name}: bad ${describeIssues(secrets.error, false)}`,
    );
  }
  return { settings: settings.data, secrets: secrets.data };
}
