import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  busBatches,
  DELIVERY,
  EVENT_SOURCE,
  retryDelayMs,
  signature,
  subscribes,
  toSlipwayEvent,
  verifySignature,
  type RecordedEvent,
  type SlipwayEvent,
} from '#functions/domain/events';
import { isForbiddenAddress, webhookUrlProblem } from '#functions/domain/webhook-urls';
import { recordedEventOf } from '#functions/store/event-items';

const recorded = (overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  id: 'evt_1',
  run: 'run_1',
  owner: 'usr_1',
  at: '2031-01-01T00:00:00.000Z',
  kind: 'state',
  message: 'Executing → Ready',
  state: 'Ready',
  previousState: 'Executing',
  ...overrides,
});

describe('the mapping of recorded run events to Slipway events', () => {
  it.each([
    ['state', 'slipway.run.state'],
    ['instance', 'slipway.instance.state'],
    ['drift', 'slipway.drift'],
    ['orphan', 'slipway.orphan'],
    ['quota-refused', 'slipway.quota.refused'],
  ])('publishes a %s event as %s', (kind, type) => {
    expect(toSlipwayEvent(recorded({ kind }))?.type).toBe(type);
  });

  it('keeps the ids, owner, time, message and what changed, and nothing it does not have', () => {
    const event = toSlipwayEvent(recorded({ kind: 'instance', state: undefined, previousState: 'pending', instance: 'web.1', instanceState: 'running' }));

    expect(event).toEqual({
      id: 'evt_1',
      type: 'slipway.instance.state',
      at: '2031-01-01T00:00:00.000Z',
      owner: 'usr_1',
      run: 'run_1',
      message: 'Executing → Ready',
      previousState: 'pending',
      instance: 'web.1',
      instanceState: 'running',
    });
  });

  it.each(['terminate', 'sweep', '__proto__', 'toString'])('publishes nothing for a %s event', (kind) => {
    expect(toSlipwayEvent(recorded({ kind }))).toBeUndefined();
  });

  it('publishes nothing without an owner to send it to', () => {
    expect(toSlipwayEvent(recorded({ owner: undefined }))).toBeUndefined();
  });

  it('puts events on the bus in order, at most ten per PutEvents, with the event as detail', () => {
    const events = Array.from({ length: 23 }, (_, i) => toSlipwayEvent(recorded({ id: `evt_${i}` }))!);

    const batches = busBatches(events, 'slipway-events');

    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map((e) => (JSON.parse(e.Detail) as SlipwayEvent).id)).toEqual(events.map((e) => e.id));
    expect(batches[0]![0]).toMatchObject({
      Source: EVENT_SOURCE,
      DetailType: 'slipway.run.state',
      EventBusName: 'slipway-events',
      Time: new Date(events[0]!.at),
    });
  });
});

describe('decoding stream records', () => {
  const record = (sk: string, extra: Record<string, { S: string }> = {}, eventName = 'INSERT') => ({
    eventName,
    dynamodb: {
      Keys: { pk: { S: 'RUN#run_1' }, sk: { S: sk } },
      NewImage: {
        pk: { S: 'RUN#run_1' },
        sk: { S: sk },
        run: { S: 'run_1' },
        owner: { S: 'usr_1' },
        at: { S: '2031-01-01T00:00:00.000Z' },
        type: { S: 'state' },
        state: { S: 'Ready' },
        message: { S: 'Executing → Ready' },
        ...extra,
      },
    },
  });

  it('gives a run event item an id derived from its key: the same record twice is the same event', () => {
    const first = recordedEventOf(record('EVT#2031-01-01T00:00:00.000Z#01J'));
    const again = recordedEventOf(record('EVT#2031-01-01T00:00:00.000Z#01J'));
    const other = recordedEventOf(record('EVT#2031-01-01T00:00:00.000Z#01K'));

    expect(first).toMatchObject({ run: 'run_1', owner: 'usr_1', kind: 'state', state: 'Ready', message: 'Executing → Ready' });
    expect(first!.id).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(again!.id).toBe(first!.id);
    expect(other!.id).not.toBe(first!.id);
  });

  it('ignores what is not a new run event item', () => {
    expect(recordedEventOf(record('META'))).toBeUndefined();
    expect(recordedEventOf(record('EVT#2031#x', {}, 'MODIFY'))).toBeUndefined();
    expect(recordedEventOf({ eventName: 'INSERT' })).toBeUndefined();
  });

  const orderRecord = (type: string, partition = 'ORDER#ord_1', extra: Record<string, { S: string }> = {}) => ({
    eventName: 'INSERT',
    dynamodb: {
      Keys: { pk: { S: partition }, sk: { S: 'EVT#2031-01-01T00:00:00.000Z#01J' } },
      NewImage: {
        pk: { S: partition },
        sk: { S: 'EVT#2031-01-01T00:00:00.000Z#01J' },
        order: { S: 'ord_1' },
        owner: { S: 'usr_customer' },
        vendor: { S: 'usr_vendor' },
        product: { S: 'prd_1' },
        run: { S: 'run_1' },
        at: { S: '2031-01-01T00:00:00.000Z' },
        type: { S: type },
        state: { S: 'Active' },
        previousState: { S: 'Provisioning' },
        message: { S: 'Provisioning → Active' },
        ...extra,
      },
    },
  });

  it("publishes an order's state changes and warnings to its customer, naming the order, product and run", () => {
    const state = toSlipwayEvent(recordedEventOf(orderRecord('order-state'))!);
    const warning = toSlipwayEvent(recordedEventOf(orderRecord('order-warning', 'ORDER#ord_1', { message: { S: 'the order ends in 7 days' } }))!);

    expect(state).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'slipway.order.state',
      at: '2031-01-01T00:00:00.000Z',
      owner: 'usr_customer',
      order: 'ord_1',
      product: 'prd_1',
      run: 'run_1',
      state: 'Active',
      previousState: 'Provisioning',
      message: 'Provisioning → Active',
    });
    expect(warning).toMatchObject({ type: 'slipway.order.warning', order: 'ord_1', message: 'the order ends in 7 days' });
  });

  it("keeps an order's steps on the order, and ignores an order item outside an order partition", () => {
    expect(toSlipwayEvent(recordedEventOf(orderRecord('order-step'))!)).toBeUndefined();
    expect(recordedEventOf(orderRecord('order-state', 'USER#usr_customer'))).toBeUndefined();
  });
});

describe('subscriptions', () => {
  it('match the listed types, or every type with "*"', () => {
    expect(subscribes(['slipway.run.state'], 'slipway.run.state')).toBe(true);
    expect(subscribes(['slipway.run.state'], 'slipway.drift')).toBe(false);
    expect(subscribes(['*'], 'slipway.orphan')).toBe(true);
  });
});

describe('the signature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"evt_1"}';

  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');

    expect(signature(secret, 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies with the same secret, timestamp and body, and nothing else', () => {
    const now = new Date(1700000000 * 1000);
    const header = signature(secret, 1700000000, body);

    expect(verifySignature(secret, { timestamp: '1700000000', signature: header }, body, { now })).toBe(true);
    expect(verifySignature('whsec_other', { timestamp: '1700000000', signature: header }, body, { now })).toBe(false);
    expect(verifySignature(secret, { timestamp: '1700000001', signature: header }, body, { now })).toBe(false);
    expect(verifySignature(secret, { timestamp: '1700000000', signature: header }, `${body} `, { now })).toBe(false);
    expect(verifySignature(secret, { timestamp: '1700000000', signature: undefined }, body, { now })).toBe(false);
  });

  it('refuses a timestamp more than five minutes away (a replayed delivery)', () => {
    const header = signature(secret, 1700000000, body);

    expect(verifySignature(secret, { timestamp: '1700000000', signature: header }, body, { now: new Date((1700000000 + 301) * 1000) })).toBe(false);
  });
});

describe('the retry schedule', () => {
  it('waits about 30 s, 1.5, 4.5, 13.5 and 40.5 min between six attempts: about an hour in all', () => {
    const waits = [1, 2, 3, 4, 5].map((failed) => retryDelayMs(failed, DELIVERY.baseDelayMs, () => 0.5)!);

    expect(waits).toEqual([30_000, 90_000, 270_000, 810_000, 2_430_000]);
    expect(waits.reduce((a, b) => a + b, 0) / 60_000).toBeCloseTo(60.5, 1);
  });

  it('spreads each wait by ±20%', () => {
    expect(retryDelayMs(2, 1000, () => 0)).toBe(2400);
    expect(retryDelayMs(2, 1000, () => 0.999999)).toBe(3600);
  });

  it('gives up after the sixth attempt', () => {
    expect(retryDelayMs(DELIVERY.maxAttempts)).toBeUndefined();
  });
});

describe('webhook URLs', () => {
  const aws = { allowLoopback: false };
  const local = { allowLoopback: true };

  it('take https:// to a public host', () => {
    expect(webhookUrlProblem('https://hooks.example.com/slipway?x=1', aws)).toBeUndefined();
    expect(webhookUrlProblem('https://93.184.216.34:8443/hook', aws)).toBeUndefined();
  });

  it.each([
    ['ftp://hooks.example.com/x', /https/],
    ['http://hooks.example.com/x', /https/],
    ['https://user:pass@hooks.example.com/x', /user name or password/],
    ['https://10.1.2.3/x', /private/],
    ['https://172.20.0.1/x', /private/],
    ['https://192.168.1.1/x', /private/],
    ['https://169.254.169.254/latest/meta-data', /private/],
    ['https://100.64.0.1/x', /private/],
    ['https://0.0.0.0/x', /private/],
    ['https://[fd00::1]/x', /private/],
    ['https://[fe80::1]/x', /private/],
    ['https://[::ffff:10.0.0.1]/x', /private/],
    ['https://0x7f.1/x', /loopback/],
    ['https://2130706433/x', /loopback/],
    ['https://127.0.0.1/x', /loopback/],
    ['https://[::1]/x', /loopback/],
    ['https://localhost/x', /loopback/],
    ['https://metadata.google.internal/x', /public host/],
    ['https://printer.local/x', /public host/],
    ['https://intranet/x', /public host/],
    ['not a url', /not a URL/],
  ])('refuse %s', (url, why) => {
    expect(webhookUrlProblem(url, aws)).toMatch(why);
  });

  it('take loopback, over http:// too, only where the stack allows it, and nothing else private there either', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4567/hook', local)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:4567/hook', local)).toBeUndefined();
    expect(webhookUrlProblem('http://[::1]:4567/hook', local)).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.1/hook', local)).toMatch(/https/);
    expect(webhookUrlProblem('https://10.0.0.1/hook', local)).toMatch(/private/);
  });

  it('classify resolved addresses the same way', () => {
    expect(isForbiddenAddress('8.8.8.8', aws)).toBe(false);
    expect(isForbiddenAddress('2001:4860:4860::8888', aws)).toBe(false);
    expect(isForbiddenAddress('10.0.0.1', aws)).toBe(true);
    expect(isForbiddenAddress('::ffff:169.254.169.254', aws)).toBe(true);
    expect(isForbiddenAddress('127.0.0.1', aws)).toBe(true);
    expect(isForbiddenAddress('127.0.0.1', local)).toBe(false);
    expect(isForbiddenAddress('not-an-ip', local)).toBe(true);
  });
});
