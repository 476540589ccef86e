/** The local API's port, checked before the slow parts of the stack start. */
import { createServer } from 'node:net';
import { LocalStartError } from './local-start-error';

/** The error that says `port` is taken, for `error` from binding it (or `error` itself otherwise). */
export function apiPortError(port: number, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error;
  return new LocalStartError(`The API port ${port} on 127.0.0.1 is already in use: stop what holds it or set PORT to a free port`, { cause: error });
}

/**
 * Fails fast when something already listens on 127.0.0.1:`port`, so `npm start`
 * says so before it waits for a JVM. (The real bind still reports a port taken since.)
 */
export async function assertApiPortFree(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(apiPortError(port, error)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
