/**
 * A fake OpenNebula front-end for end-to-end tests: XML-RPC on POST /RPC2 at
 * 127.0.0.1 (a free port), the session string checked on every call, VMs and
 * the images saved from their disks kept in memory, and transient failures injected every N calls. It counts calls per
 * method, so a test can report what a run costs in cloud requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CATALOGUE, templatePoolXml, zonePoolXml, type FakeCatalogue } from './catalogue';
import { fakeVmState, STATE, type FakeTimings, type FakeVm } from './fake-vm';
import { faultResponse, failureResponse, readMethodCall, successResponse, type FakeArg } from './rpc-codec';
import { diskSaveAs, imageDelete, imageInfo, imagePool } from './image-methods';
import { action, allocate, ERROR, info, pool, type FakeImage, type VmWorld } from './vm-methods';

export interface FakeOpennebulaOptions {
  /** @default 'slipway' */
  username?: string;
  /** @default 'opennebula-pass' */
  password?: string;
  /** @default { pendingMs: 300, prologMs: 300, bootMs: 300, poweroffMs: 300, saveMs: 300 } */
  timings?: Partial<FakeTimings>;
  /**
   * Every Nth call fails transiently, alternating oned's INTERNAL error and an
   * HTTP 503 from a proxy. An allocate picked to fail still makes its VM (the
   * answer was lost), the case only an idempotent create survives. @default 0 (never)
   */
  transientEvery?: number;
  /** The first N allocates make their VM but their answer is lost (HTTP 503): only an idempotent create survives. @default 0 */
  lostAllocates?: number;
  /** VMs the account may hold; beyond it allocate fails on quota. @default unlimited */
  quotaVms?: number;
  catalogue?: FakeCatalogue;
  /** Behave as oned before 5.12: no one.vmpool.infoextended, full bodies from one.vmpool.info. @default false */
  legacyPool?: boolean;
}

export interface FakeOpennebula {
  /** The XML-RPC URL, e.g. `http://127.0.0.1:41234/RPC2`. */
  url: string;
  username: string;
  password: string;
  /** Calls received, by method (injected failures included). */
  calls: Record<string, number>;
  /** Failures injected, by method. */
  injected: Record<string, number>;
  /** Changeable between tests. */
  options: FakeOpennebulaOptions;
  /** Every VM ever allocated (DONE ones included). */
  vms(): FakeVm[];
  /** VMs that are not DONE. */
  liveVms(): FakeVm[];
  /** Images saved from VM disks (deleted ones are gone). */
  images(): FakeImage[];
  resetCounters(): void;
  stop(): Promise<void>;
}

const XML = { 'content-type': 'text/xml' };

export async function startFakeOpennebula(options: FakeOpennebulaOptions = {}): Promise<FakeOpennebula> {
  const username = options.username ?? 'slipway';
  const password = options.password ?? 'opennebula-pass';
  const world: VmWorld = {
    vms: [],
    images: [],
    catalogue: options.catalogue ?? DEFAULT_CATALOGUE,
    timings: { pendingMs: 300, prologMs: 300, bootMs: 300, poweroffMs: 300, saveMs: 300, ...options.timings },
    user: { uid: 2, name: username },
    quotaVms: options.quotaVms,
    nextId: 40,
    now: () => Date.now(),
  };
  const calls: Record<string, number> = {};
  const injected: Record<string, number> = {};
  let total = 0;

  function answer(method: string, args: FakeArg[]): string {
    if (args[0] !== `${username}:${password}`) return failureResponse(`[${method}] User couldn't be authenticated, aborting call.`, ERROR.authentication);
    const rest = args.slice(1);
    world.quotaVms = fake.options.quotaVms;
    switch (method) {
      case 'one.vm.allocate':
        return allocate(world, rest);
      case 'one.vm.info':
        return info(world, rest);
      case 'one.vm.action':
        return action(world, rest);
      case 'one.vmpool.info':
        return pool(world, rest, fake.options.legacyPool === true);
      case 'one.vmpool.infoextended':
        return fake.options.legacyPool ? faultResponse(-506, `Method '${method}' not defined`) : pool(world, rest, true);
      case 'one.vm.disksaveas':
        return diskSaveAs(world, rest);
      case 'one.image.info':
        return imageInfo(world, rest);
      case 'one.image.delete':
        return imageDelete(world, rest);
      case 'one.imagepool.info':
        return imagePool(world, rest);
      case 'one.templatepool.info':
        return successResponse(templatePoolXml(world.catalogue));
      case 'one.zonepool.info':
        return successResponse(zonePoolXml(world.catalogue));
      default:
        return faultResponse(-506, `Method '${method}' not defined`);
    }
  }

  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const call = req.method === 'POST' && req.url === '/RPC2' ? readMethodCall(body) : undefined;
      if (!call) return void res.writeHead(400, XML).end(faultResponse(-503, 'Call XML not a proper XML-RPC call'));
      calls[call.method] = (calls[call.method] ?? 0) + 1;
      total += 1;
      if (call.method === 'one.vm.allocate' && (fake.options.lostAllocates ?? 0) > 0) {
        fake.options.lostAllocates! -= 1;
        injected[call.method] = (injected[call.method] ?? 0) + 1;
        answer(call.method, call.args);
        return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable (the VM was made; answer lost by the fake)');
      }
      const every = fake.options.transientEvery ?? 0;
      if (every > 0 && total % every === 0) {
        injected[call.method] = (injected[call.method] ?? 0) + 1;
        if (call.method === 'one.vm.allocate') answer(call.method, call.args); // made, but the answer is lost
        if ((total / every) % 2 === 1)
          return void res.writeHead(200, XML).end(failureResponse(`[${call.method}] Internal error (injected by the fake)`, ERROR.internal));
        return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable (injected by the fake)');
      }
      res.writeHead(200, XML).end(answer(call.method, call.args));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeOpennebula = {
    url: `http://127.0.0.1:${port}/RPC2`,
    username,
    password,
    calls,
    injected,
    options: { ...options },
    vms: () => [...world.vms],
    liveVms: () => world.vms.filter((vm) => fakeVmState(vm, world.timings, world.now()).state !== STATE.done),
    images: () => [...world.images],
    resetCounters() {
      for (const key of Object.keys(calls)) delete calls[key];
      for (const key of Object.keys(injected)) delete injected[key];
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
  return fake;
}
