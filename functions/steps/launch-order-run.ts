/**
 * LaunchOrderRun: the next launch attempt of an order. Records the attempt on the
 * order (Pending → Provisioning on the first; its run id is derived from the order
 * and the attempt, so a repeat launches the same run), then launches the run as the
 * customer with the vendor as its sponsor (the vendor's credential and quota) through
 * the same code as `POST /v1/runs`. An order cancelled meanwhile launches nothing.
 */
import { connectorKind } from '#connectors/registry';
import type { AppDeps } from '#functions/commons/deps';
import { idFrom } from '#functions/commons/ids';
import { isOrderFinal, ORDER_MAX_ATTEMPTS, ORDER_RUN_DEADLINE_SECONDS } from '#functions/domain/orders';
import { maxPollsWithin } from '#functions/domain/boot-polling';
import { launchRun } from '#functions/runs/launch-run';
import { orderLaunchRequest } from '#functions/runs/order-lifecycle';
import { getConnector } from '#functions/store/connectors';
import { changeOrder } from '#functions/store/orders';
import { getProduct } from '#functions/store/products';
import { stepHandler } from './step';

/** What the order's state machine carries from look to look (`$.launch`). */
export interface OrderLaunchState {
  /** `launched`/`pending`: keep looking; `active`, `closed`: done; `failed`: this attempt failed. */
  status: 'launched' | 'pending' | 'active' | 'closed' | 'failed';
  attempt: number;
  runId?: string;
  /** The connector's usual boot time: the first wait. */
  pollSeconds: number;
  /** Looks at this attempt's run so far, and how many fit in the run's deadline. */
  polls: number;
  maxPolls: number;
  /** The wait before the next look. */
  waitSeconds: number;
  /** Why the attempt failed. */
  reason?: string;
  /** The wait before the next attempt, when this one failed. */
  retryWaitSeconds?: number;
}

/** Without a connector to ask, the first look comes after this long. */
const DEFAULT_POLL_SECONDS = 5;

/** The run id of an order's attempt: the same for every repeat of that attempt. */
export const orderRunId = (orderId: string, attempt: number): string => idFrom('run', `order\n${orderId}\n${attempt}`);

export async function launchOrderRun({ orderId, previousAttempt }: { orderId: string; previousAttempt: number }, deps: AppDeps): Promise<OrderLaunchState> {
  const attempt = previousAttempt + 1;
  const runId = orderRunId(orderId, attempt);
  const recorded = await changeOrder(deps.table, orderId, deps.now(), (order) => {
    if (isOrderFinal(order.state) || order.attempts >= attempt) return undefined;
    return {
      to: order.state === 'Pending' ? 'Provisioning' : undefined,
      message: `attempt ${attempt} of ${ORDER_MAX_ATTEMPTS}: launching run ${runId}`,
      set: { attempts: attempt, run: runId, runs: [...(order.runs ?? []), runId] },
      remove: ['runState'],
    };
  });
  const order = recorded.order;
  if (!order) throw new Error(`order ${orderId} does not exist`);
  const closed = { status: 'closed' as const, attempt, pollSeconds: 1, polls: 0, maxPolls: 0, waitSeconds: 1 };
  if (isOrderFinal(order.state) || order.run !== runId) return closed;
  const product = await getProduct(deps.table, order.product, order.productVersion);
  if (!product) throw new Error(`product ${order.product} has no version ${order.productVersion}`);
  await launchRun(deps, { ...orderLaunchRequest(product, order), id: runId, tags: { order: order.id, product: product.id } });
  const config = await getConnector(deps.table, product.connector);
  const pollSeconds = config ? connectorKind(config.kind).pollSeconds(config) : DEFAULT_POLL_SECONDS;
  return {
    status: 'launched',
    attempt,
    runId,
    pollSeconds,
    polls: 0,
    maxPolls: maxPollsWithin(ORDER_RUN_DEADLINE_SECONDS, pollSeconds),
    waitSeconds: pollSeconds,
  };
}

export const handler = stepHandler(launchOrderRun, { name: 'LaunchOrderRun' });
