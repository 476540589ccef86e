/**
 * Keystone v3 password authentication: one `POST /v3/auth/tokens` scoped to the
 * credential's project. The token travels in the `X-Subject-Token` header, the
 * service catalog in the body. Neither the password nor the token ever enters an
 * error message.
 */
import { cloudFetch, errorForStatus, truncate } from '#connectors/commons/http';
import { PermanentCloudError } from '#connectors/errors';
import type { CatalogEntry } from './catalog';
import { where, type OpenstackContext } from './context';
import { cloudMessage } from './fault-body';

/** A project-scoped token and what came with it. */
export interface KeystoneToken {
  token: string;
  catalog: CatalogEntry[];
  /** Local clock (ms) at which the token expires. */
  expiresAtMs: number;
  /** How long Keystone issued it for. */
  lifetimeMs: number;
}

/** Keystone's usual lifetime, assumed when a reply carries no expiry. */
const DEFAULT_LIFETIME_MS = 60 * 60 * 1000;

/** `…/v3/auth/tokens`, whether the connector's endpoint ends in `/v3` or not. */
export function tokensUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return `${/\/v3$/.test(base) ? base : `${base}/v3`}/auth/tokens`;
}

/**
 * Asks Keystone for a new token.
 * @throws PermanentCloudError "authentication failed for credential …" on 401/403;
 *   TransientCloudError when Keystone is down or slow.
 */
export async function requestToken(ctx: OpenstackContext): Promise<KeystoneToken> {
  const { secrets } = ctx;
  const what = `openstack POST /v3/auth/tokens on ${where(ctx)}`;
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: secrets.username, domain: { name: secrets.userDomainName }, password: secrets.password } },
      },
      scope: { project: { name: secrets.projectName, domain: { name: secrets.projectDomainName } } },
    },
  };
  const sentAtMs = ctx.now().getTime();
  const response = await cloudFetch({
    what,
    url: tokensUrl(ctx.endpoint),
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    budget: ctx.budget,
  });
  if (response.status !== 201 && response.status !== 200) {
    throw errorForStatus(what, response.status, cloudMessage(response.text), { credential: ctx.credentialId });
  }
  const token = response.headers.get('x-subject-token');
  const parsed = parseBody(response.text);
  if (!token || !parsed)
    throw new PermanentCloudError(`${what} answered without a token (is the endpoint a Keystone v3 URL?)`, { cause: new Error(truncate(response.text)) });
  const lifetime = lifetimeMs(parsed);
  return { token, catalog: parsed.catalog ?? [], expiresAtMs: sentAtMs + lifetime, lifetimeMs: lifetime };
}

interface TokenBody {
  catalog?: CatalogEntry[];
  expires_at?: string;
  issued_at?: string;
}

function parseBody(text: string): TokenBody | undefined {
  try {
    const body = JSON.parse(text) as { token?: TokenBody };
    return typeof body.token === 'object' && body.token !== null ? body.token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The token's lifetime as Keystone counts it (`expires_at - issued_at`), so a
 * cloud whose clock differs from ours neither expires tokens early nor late here.
 */
function lifetimeMs(body: TokenBody): number {
  const expires = Date.parse(body.expires_at ?? '');
  const issued = Date.parse(body.issued_at ?? '');
  const lifetime = expires - issued;
  return Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_MS;
}
