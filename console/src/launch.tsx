/**
 * Launch a run of a deployment: choose it, the connector and per-node overrides, see
 * the plan (`POST /v1/runs?dryRun=true`), then launch and follow the run's page.
 */
import { useState } from 'preact/hooks';
import { getAll, request } from './api';
import { useImageNames } from './image-names';
import { PlanView } from './plan-view';
import { requestPlan, type PlanOutcome } from './plan-request';
import { ProblemView } from './problem-view';
import { pathOf } from './project-link';
import { Link, navigate, useLocation } from './router';
import type { Connector, Deployment, Run } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

interface Choices {
  deployment: string;
  connector: string;
  multiplicity: Record<string, string>;
  nodeConnector: Record<string, string>;
  expiresAt: string;
}

/** The `POST /v1/runs` body for the form's choices: only what was set. */
export function runBody(choices: Choices) {
  const nodeNames = new Set([...Object.keys(choices.multiplicity), ...Object.keys(choices.nodeConnector)]);
  const nodes: Record<string, { multiplicity?: number; connector?: string }> = {};
  for (const node of nodeNames) {
    const multiplicity = choices.multiplicity[node]?.trim();
    const connector = choices.nodeConnector[node];
    if (!multiplicity && !connector) continue;
    nodes[node] = { ...(multiplicity ? { multiplicity: Number(multiplicity) } : {}), ...(connector ? { connector } : {}) };
  }
  return {
    deployment: choices.deployment,
    ...(choices.connector ? { connector: choices.connector } : {}),
    ...(Object.keys(nodes).length ? { nodes } : {}),
    ...(choices.expiresAt ? { expiresAt: new Date(choices.expiresAt).toISOString() } : {}),
  };
}

export function Launch() {
  const { search } = useLocation();
  const lists = useLoad(async () => {
    const [deployments, connectors] = await Promise.all([getAll<Deployment>('/deployments'), getAll<Connector>('/connectors')]);
    return { deployments, connectors };
  }, []);
  const [choices, setChoices] = useState<Choices>({
    deployment: search.get('deployment') ?? '',
    connector: '',
    multiplicity: {},
    nodeConnector: {},
    expiresAt: '',
  });
  const imageNames = useImageNames();
  const [plan, setPlan] = useState<PlanOutcome>();
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const { busy, problem, setProblem, run: act } = useAction();

  const change = (next: Partial<Choices>) => {
    setChoices({ ...choices, ...next });
    setPlan(undefined); // a plan is for the choices it was made for
    setProblem(undefined);
  };
  const deployments = lists.data?.deployments ?? [];
  const connectors = lists.data?.connectors ?? [];
  // By path (`shop/web-site` in a project, the name at the top level) or id.
  const selected = deployments.find((d) => pathOf(d) === choices.deployment || d.id === choices.deployment);

  const showPlan = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      setPlan(await requestPlan(runBody(choices)));
      // One key per planned launch: a second click returns the run the first one made.
      setIdempotencyKey(crypto.randomUUID());
    });
  };
  const launch = () =>
    act(async () => {
      const run = await request<Run>('POST', '/runs', { body: runBody(choices), headers: { 'idempotency-key': idempotencyKey } });
      navigate(`/runs/${run.id}`);
    });

  return (
    <main>
      <h1>Launch a deployment</h1>
      {lists.problem ? <ProblemView problem={lists.problem} /> : null}
      <form onSubmit={showPlan} class="stack">
        <label for="deployment">Deployment</label>
        <select
          id="deployment"
          required
          value={selected ? pathOf(selected) : ''}
          onChange={(e) => change({ deployment: e.currentTarget.value, multiplicity: {}, nodeConnector: {} })}
        >
          <option value="">Choose a deployment</option>
          {deployments.map((d) => (
            <option key={d.id} value={pathOf(d)}>
              {pathOf(d)} (v{d.version}, {d.nodes.length} node{d.nodes.length === 1 ? '' : 's'})
            </option>
          ))}
        </select>
        <label for="connector">Connector</label>
        <select id="connector" value={choices.connector} onChange={(e) => change({ connector: e.currentTarget.value })}>
          <option value="">Each node’s own connector</option>
          {connectors.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.kind})
            </option>
          ))}
        </select>
        {selected ? (
          <fieldset>
            <legend>Nodes (leave empty to keep the deployment’s values)</legend>
            <table>
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Image</th>
                  <th scope="col">VMs</th>
                  <th scope="col">Connector</th>
                </tr>
              </thead>
              <tbody>
                {selected.nodes.map((node) => (
                  <tr key={node.name}>
                    <th scope="row">{node.name}</th>
                    <td>{imageNames.get(node.image) ?? node.image}</td>
                    <td>
                      <input
                        type="number"
                        min={1}
                        max={50}
                        aria-label={`VMs of ${node.name}`}
                        placeholder={String(node.multiplicity)}
                        value={choices.multiplicity[node.name] ?? ''}
                        onInput={(e) => change({ multiplicity: { ...choices.multiplicity, [node.name]: e.currentTarget.value } })}
                      />
                    </td>
                    <td>
                      <select
                        aria-label={`Connector of ${node.name}`}
                        value={choices.nodeConnector[node.name] ?? ''}
                        onChange={(e) => change({ nodeConnector: { ...choices.nodeConnector, [node.name]: e.currentTarget.value } })}
                      >
                        <option value="">{node.connector ?? (choices.connector || 'the run’s')}</option>
                        {connectors.map((c) => (
                          <option key={c.name} value={c.name}>
                            {c.name}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
        ) : null}
        <label for="expires-at">Expires at (optional, your local time)</label>
        <input id="expires-at" type="datetime-local" value={choices.expiresAt} onInput={(e) => change({ expiresAt: e.currentTarget.value })} />
        <div>
          <button type="submit" disabled={busy || !selected}>
            Show plan
          </button>
        </div>
      </form>
      {plan ? (
        <section aria-labelledby="plan">
          <h2 id="plan">Plan</h2>
          {plan.kind === 'plan' ? <PlanView plan={plan.plan} imageNames={imageNames} /> : null}
          {plan.kind === 'problem' ? <ProblemView problem={plan.problem} heading="No plan: the API refused the request" /> : null}
          {plan.kind === 'launched' ? (
            <div class="problem" role="alert">
              <strong>This API does not plan runs:</strong> it ignored <code>dryRun=true</code> and launched{' '}
              <Link href={`/runs/${plan.run.id}`}>{plan.run.id}</Link>.
            </div>
          ) : (
            <button type="button" onClick={launch} disabled={busy || (plan.kind === 'plan' && !plan.plan.launchable)}>
              Launch run
            </button>
          )}
        </section>
      ) : null}
      {problem ? <ProblemView problem={problem} heading="Launch refused" /> : null}
    </main>
  );
}
