/**
 * DynamoDB Local is reachable from this machine only. A network namespace made
 * here plays another machine: it reaches this one through a veth pair, at the
 * host side's address, and nowhere else (traffic goes only to addresses of the
 * namespace this file creates). Needs root and iproute2's `ip netns`, as CI has.
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo, type LocalDynamo } from '#infra/local/dynamodb';

const PREFIX = 'slipway-probe-';

/** Another machine: a namespace with a veth pair to this one, 10.200.x.y/30 on both sides. */
interface Peer {
  name: string;
  hostVeth: string;
  /** This machine's address as the peer sees it. */
  hostAddress: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Namespaces a run of this file killed before its afterAll left behind (their process is gone). */
function removeStalePeers(): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    if (!name.startsWith(PREFIX) || !pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      ip('netns', 'delete', name);
    }
  }
}

function createPeer(): Peer {
  try {
    ip('netns', 'list');
  } catch (error) {
    throw new Error(`This test needs root and iproute2's "ip netns" to play another machine: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
  }
  removeStalePeers();
  const tag = `${randomInt(0x1000000).toString(16)}`;
  // A /30 in 10.200.0.0/16 that no interface here uses yet.
  let base = '';
  do base = `10.200.${randomInt(256)}.${4 * randomInt(64)}`;
  while (ip('-o', 'addr', 'show', 'to', `${base}/30`).trim() !== '');
  const [a, b, c] = base.split('.');
  const last = Number(base.split('.')[3]);
  const peer: Peer = { name: `${PREFIX}${process.pid}-${tag}`, hostVeth: `swp${tag}h`, hostAddress: `${a}.${b}.${c}.${last + 1}` };
  try {
    ip('netns', 'add', peer.name);
    ip('link', 'add', peer.hostVeth, 'type', 'veth', 'peer', 'name', `swp${tag}p`);
    ip('link', 'set', `swp${tag}p`, 'netns', peer.name);
    ip('addr', 'add', `${peer.hostAddress}/30`, 'dev', peer.hostVeth);
    ip('link', 'set', peer.hostVeth, 'up');
    ip('-n', peer.name, 'addr', 'add', `${a}.${b}.${c}.${last + 2}/30`, 'dev', `swp${tag}p`);
    ip('-n', peer.name, 'link', 'set', `swp${tag}p`, 'up');
    ip('-n', peer.name, 'link', 'set', 'lo', 'up');
  } catch (error) {
    removePeer(peer);
    throw error;
  }
  return peer;
}

function removePeer(peer: Peer): void {
  // Deleting the namespace deletes its veth end, and with it the pair; the link delete covers a half-made pair.
  for (const args of [
    ['netns', 'delete', peer.name],
    ['link', 'delete', peer.hostVeth],
  ]) {
    try {
      ip(...args);
    } catch {
      // already gone
    }
  }
}

/** What a TCP connect from inside `peer` to `host`:`port` gets: connected, ECONNREFUSED, timeout… */
function probeFrom(peer: Peer, host: string, port: number): string {
  const script = `const s = require('node:net').connect(${port}, '${host}');
    s.setTimeout(3000, () => { console.log('timeout'); process.exit(0); });
    s.on('connect', () => { console.log('connected'); process.exit(0); });
    s.on('error', (e) => { console.log(e.code); process.exit(0); });`;
  return execFileSync('ip', ['netns', 'exec', peer.name, process.execPath, '-e', script]).toString().trim();
}

/** What a TCP connect on this machine gets. */
function probeHere(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const UNREACHABLE = ['ECONNREFUSED', 'timeout'];

let peer: Peer | undefined;
let dynamo: LocalDynamo;
let home: string;

beforeAll(async () => {
  peer = createPeer();
  home = mkdtempSync(join(tmpdir(), 'slipway-exposure-'));
  // As the stack starts it (data under SLIPWAY_HOME/dynamodb).
  dynamo = await startDynamo({ path: join(home, 'dynamodb') });
});

afterAll(async () => {
  await dynamo?.stop();
  if (peer) removePeer(peer);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('DynamoDB Local seen from another machine', () => {
  it('answers ListTables on its 127.0.0.1 endpoint', async () => {
    // Prepare
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Act
    const tables = await dynamo.client.send(new ListTablesCommand({}));

    // Assess
    expect(tables.TableNames).toEqual([]);
  });

  it('is confined to a network namespace of its own', () => {
    // Prepare, Act
    const confined = dynamo.confined;

    // Assess
    expect(confined).toBe(true);
  });

  it('reaches a server listening on this machine’s address on the veth (the probe can see this machine)', async () => {
    // Prepare
    const server: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, peer!.hostAddress, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    // Act
    const result = probeFrom(peer!, peer!.hostAddress, port);

    // Assess
    await new Promise((resolve) => server.close(resolve));
    expect(result).toBe('connected');
  });

  it('does not accept a connection on its endpoint’s port from another machine', () => {
    // Prepare
    const port = Number(new URL(dynamo.endpoint).port);

    // Act
    const result = probeFrom(peer!, peer!.hostAddress, port);

    // Assess
    expect(UNREACHABLE).toContain(result);
  });

  it('does not accept a connection on the jar’s own port from another machine', () => {
    // Prepare
    const port = dynamo.jarPort;

    // Act
    const result = probeFrom(peer!, peer!.hostAddress, port);

    // Assess
    expect(UNREACHABLE).toContain(result);
  });

  it('keeps the jar’s own port off this machine’s loopback too: only the relay reaches it', async () => {
    // Prepare
    const port = dynamo.jarPort;

    // Act
    const result = await probeHere('127.0.0.1', port);

    // Assess
    expect(result).toBe('ECONNREFUSED');
  });
});
