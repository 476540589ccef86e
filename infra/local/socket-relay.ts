/**
 * Byte relays between sockets, used on both sides of DynamoDB Local's network
 * namespace (see `netns.ts`). This file is also loaded by plain Node inside the
 * namespace (`netns-init.ts`), so it imports nothing but `node:` modules and uses
 * only type syntax Node can strip.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A server whose every connection is piped, both ways, to a fresh connection made by `dial`. */
export function relayServer(dial: () => Socket): Server & { closeAll(): Promise<void> } {
  const open = new Set<Socket>();
  const server = createServer((incoming) => {
    const outgoing = dial();
    for (const socket of [incoming, outgoing]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      // A reset on one side ends the other: the client sees a closed connection and retries.
      socket.once('error', () => {
        incoming.destroy();
        outgoing.destroy();
      });
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  return Object.assign(server, {
    closeAll: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  });
}

/** Listens on `where` (a TCP port on 127.0.0.1 or a Unix socket path) and resolves once bound. */
export function listen(server: Server, where: { port: number } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in where) server.listen(where.path, done);
    else server.listen(where.port, '127.0.0.1', done);
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` right now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Polls until 127.0.0.1:`port` accepts connections. Resolves false as soon as
 * `abandoned()` says the listener will never come (its process exited).
 */
export async function waitUntilAccepting(port: number, abandoned: () => boolean, pollMs = 50): Promise<boolean> {
  for (;;) {
    if (abandoned()) return false;
    if (await accepts(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
