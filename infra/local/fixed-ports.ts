/**
 * Ports `npm start` keeps the same from one start to the next (Step Functions,
 * DynamoDB), so the AWS CLI lines it prints stay valid: checked before the slow
 * parts start, and DynamoDB Local (whose own port is inside its namespace) is
 * relayed to its fixed port on 127.0.0.1.
 */
import { connect, createServer } from 'node:net';
import { LocalStartError } from './local-start-error';
import { listen, relayServer } from './socket-relay';

/** The variables that set them, named in the error when a port is taken. */
export const FIXED_PORT_ENV = { stepFunctions: 'SLIPWAY_SFN_PORT', dynamoDb: 'SLIPWAY_DYNAMODB_PORT' } as const;

type Service = keyof typeof FIXED_PORT_ENV;
const LABEL: Record<Service, string> = { stepFunctions: 'Step Functions', dynamoDb: 'DynamoDB' };

/** The error that says `port` is taken (or `error` itself when it is another failure). */
export function portTakenError(service: Service, port: number, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error;
  return new LocalStartError(
    `The ${LABEL[service]} port ${port} on 127.0.0.1 is already in use: stop what holds it or set ${FIXED_PORT_ENV[service]} to a free port`,
    { cause: error },
  );
}

/** Fails fast, before a JVM starts, when `port` is taken. */
export async function assertPortFree(service: Service, port: number): Promise<void> {
  const probe = createServer();
  await listen(probe, { port }).catch((error: unknown) => {
    throw portTakenError(service, port, error);
  });
  await new Promise((resolve) => probe.close(resolve));
}

/** Relays 127.0.0.1:`port` to 127.0.0.1:`target`. */
export async function relayPort(service: Service, port: number, target: number): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const relay = relayServer(() => connect(target, '127.0.0.1'));
  await listen(relay, { port }).catch((error: unknown) => {
    throw portTakenError(service, port, error);
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => relay.closeAll() };
}
