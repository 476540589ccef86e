/**
 * What a Ready run offers besides Terminate: scaling a node to another instance count
 * (`POST /v1/runs/{id}/scale`, refused with the API's problem, e.g. the quota) and migrating
 * the run to another cloud (`POST /v1/runs/{id}/migrate`, its plan first with `?dryRun=true`).
 */
import { useState } from 'preact/hooks';
import { getAll, request, seg } from './api';
import { PlanView } from './plan-view';
import { requestPlan, type PlanOutcome } from './plan-request';
import { ProblemView } from './problem-view';
import { Link, navigate } from './router';
import type { Connector, DeploymentNode, Instance, Run } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** The node's instances that are not gone (a scale in terminates the highest indexes; they stay listed, terminated). */
export const liveCount = (instances: Instance[], node: string) => instances.filter((i) => i.node === node && i.state !== 'terminated').length;

function ScaleRow({ run, node, onDone }: { run: Run; node: string; onDone: () => void }) {
  const current = liveCount(run.instances ?? [], node);
  const [count, setCount] = useState('');
  const { busy, problem, setProblem, run: act } = useAction();
  const scale = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      await request<Run>('POST', `/runs/${seg(run.id)}/scale`, { body: { node, multiplicity: Number(count) } });
      setCount('');
      onDone();
    });
  };
  return (
    <tr>
      <th scope="row">{node}</th>
      <td class="number">{current}</td>
      <td>
        <form class="inline" onSubmit={scale} aria-label={`Scale ${node}`}>
          <input
            type="number"
            min={1}
            max={50}
            required
            aria-label={`Instances of ${node}`}
            placeholder={String(current)}
            value={count}
            onInput={(e) => {
              setCount(e.currentTarget.value);
              setProblem(undefined);
            }}
          />{' '}
          <button type="submit" disabled={busy || !count || Number(count) === current}>
            Scale {node}
          </button>
        </form>
        {problem ? <ProblemView problem={problem} heading={`Scaling ${node} was refused`} /> : null}
      </td>
    </tr>
  );
}

/** One row per node: its live instance count and the count to scale it to. */
export function Scale({ run, nodes, onDone }: { run: Run; nodes: DeploymentNode[]; onDone: () => void }) {
  return (
    <table>
      <caption>Instances per node</caption>
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Instances now</th>
          <th scope="col">Scale to</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => (
          <ScaleRow key={node.name} run={run} node={node.name} onDone={onDone} />
        ))}
      </tbody>
    </table>
  );
}

/** The target cloud, the plan (dry run: both runs' quota during the overlap), then the migration; the new run's page follows. */
export function Migrate({ run, imageNames }: { run: Run; imageNames: Map<string, string> }) {
  const connectors = useLoad(() => getAll<Connector>('/connectors'), []);
  const [connector, setConnector] = useState('');
  const [plan, setPlan] = useState<PlanOutcome>();
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const { busy, problem, setProblem, run: act } = useAction();
  const path = `/runs/${seg(run.id)}/migrate`;

  const showPlan = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      setPlan(await requestPlan({ connector }, path));
      // One key per planned migration: a second click answers the run the first one made.
      setIdempotencyKey(crypto.randomUUID());
    });
  };
  const migrate = () =>
    act(async () => {
      const fresh = await request<Run>('POST', path, { body: { connector }, headers: { 'idempotency-key': idempotencyKey } });
      navigate(`/runs/${fresh.id}`);
    });

  return (
    <>
      {connectors.problem ? <ProblemView problem={connectors.problem} heading="The connectors could not be read" /> : null}
      <form class="inline" onSubmit={showPlan} aria-label="Migrate">
        <label for="migrate-connector">Target connector</label>{' '}
        <select
          id="migrate-connector"
          required
          value={connector}
          onChange={(e) => {
            setConnector(e.currentTarget.value);
            setPlan(undefined); // a plan is for the connector it was made for
            setProblem(undefined);
          }}
        >
          <option value="">Choose a connector</option>
          {(connectors.data ?? []).map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.kind})
            </option>
          ))}
        </select>{' '}
        <button type="submit" disabled={busy || !connector}>
          Show plan
        </button>
      </form>
      {plan ? (
        <section aria-labelledby="migration-plan">
          <h3 id="migration-plan">Migration plan</h3>
          <p class="hint">
            The new run gets each node’s current instance count; this run is terminated once the new one is Ready, and both hold their quota until then.
          </p>
          {plan.kind === 'plan' ? <PlanView plan={plan.plan} imageNames={imageNames} /> : null}
          {plan.kind === 'problem' ? <ProblemView problem={plan.problem} heading="No plan: the API refused the migration" /> : null}
          {plan.kind === 'launched' ? (
            <div class="problem" role="alert">
              <strong>This API does not plan migrations:</strong> it ignored <code>dryRun=true</code> and started{' '}
              <Link href={`/runs/${plan.run.id}`}>{plan.run.id}</Link>.
            </div>
          ) : (
            <button type="button" onClick={migrate} disabled={busy || (plan.kind === 'plan' && !plan.plan.launchable)}>
              Migrate to {connector}
            </button>
          )}
        </section>
      ) : null}
      {problem ? <ProblemView problem={problem} heading="Migration refused" /> : null}
    </>
  );
}
