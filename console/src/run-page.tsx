/**
 * One run: its state, the deployment's nodes as a graph with each instance's state and
 * address, the instances, the events as a timeline, and Terminate; when Ready, Scale per
 * node and Migrate; the runs it was migrated from and to. While the run is not final it is
 * read again every 1.5 s.
 */
import { useState } from 'preact/hooks';
import { get, getAll, request, seg } from './api';
import { DeploymentGraph } from './deployment-graph';
import { useImageNames } from './image-names';
import { isFinal } from '#functions/domain/run-states';
import { StateBadge, time } from './format';
import { ProblemView } from './problem-view';
import { Link } from './router';
import { Migrate, Scale } from './run-actions';
import type { Deployment, DeploymentNode, Instance, Run, RunEvent } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** How often a run that is not final is read again. */
export const RUN_POLL_MS = 1500;

/** The graph's nodes when the deployment cannot be read: one per node the instances name, without edges. */
function nodesFromInstances(instances: Instance[]): DeploymentNode[] {
  const names = [...new Set(instances.map((i) => i.node))];
  return names.map((name) => ({ name, image: '?', multiplicity: instances.filter((i) => i.node === name).length, inputs: {} }));
}

function Terminate({ run, onDone }: { run: Run; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, problem, run: act } = useAction();
  if (isFinal(run.state) || run.state === 'Finalizing') return null;
  const terminate = () =>
    act(async () => {
      await request('POST', `/runs/${seg(run.id)}/terminate`);
      setConfirming(false);
      onDone();
    });
  return (
    <div class="terminate">
      {confirming ? (
        <div role="group" aria-label="Confirm termination">
          <span>Terminate every VM of this run and release its quota?</span>{' '}
          <button type="button" class="danger" onClick={terminate} disabled={busy}>
            Yes, terminate
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Terminate
        </button>
      )}
      {problem ? <ProblemView problem={problem} heading="Terminate was refused" /> : null}
    </div>
  );
}

function Instances({ instances }: { instances: Instance[] }) {
  if (!instances.length) return <p class="empty">No instance yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Instance</th>
          <th scope="col">State</th>
          <th scope="col">Ready</th>
          <th scope="col">Address</th>
          <th scope="col">Connector</th>
          <th scope="col">Cloud id</th>
          <th scope="col">Parameters</th>
        </tr>
      </thead>
      <tbody>
        {instances.map((instance) => (
          <tr key={instance.name}>
            <th scope="row">{instance.name}</th>
            <td>
              <StateBadge state={instance.state} />
              {instance.rawState && instance.rawState.toLowerCase() !== instance.state ? <span class="muted"> (cloud: {instance.rawState})</span> : null}
              {instance.error ? <div class="error-text">{instance.error}</div> : null}
              {instance.drift ? <div class="error-text">drift: {instance.drift}</div> : null}
            </td>
            <td>{instance.ready ? 'yes' : 'no'}</td>
            <td>
              <code>{instance.ip ?? '—'}</code>
            </td>
            <td>{instance.connector}</td>
            <td>
              <code>{instance.cloudId ?? '—'}</code>
            </td>
            <td>
              {Object.keys(instance.parameters).length ? (
                <dl class="params">
                  {Object.entries(instance.parameters).map(([name, value]) => (
                    <div key={name}>
                      <dt>{name}</dt>
                      <dd>{value}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Timeline({ events }: { events: RunEvent[] }) {
  if (!events.length) return <p class="empty">No event yet.</p>;
  return (
    <ol class="timeline" aria-label="Run events, oldest first">
      {events.map((event, i) => (
        <li key={`${event.at}-${i}`} class={event.state ? 'transition' : undefined}>
          <time dateTime={event.at}>{time(event.at)}</time>
          {event.state ? <StateBadge state={event.state} /> : <span class="event-type">{event.type}</span>}
          <span>{event.message}</span>
        </li>
      ))}
    </ol>
  );
}

export function RunPage({ id }: { id: string }) {
  const live = useLoad(
    async () => {
      const [run, events] = await Promise.all([get<Run>(`/runs/${seg(id)}`), getAll<RunEvent>(`/runs/${seg(id)}/events`)]);
      return { run, events };
    },
    [id],
    { everyMs: RUN_POLL_MS, until: ({ run }) => isFinal(run.state) },
  );
  const run = live.data?.run;
  const imageNames = useImageNames();
  const deployment = useLoad(
    () => (run ? get<Deployment>(`/deployments/${seg(run.deployment)}`, { version: run.deploymentVersion }) : Promise.resolve(undefined)),
    [run?.deployment, run?.deploymentVersion],
  );

  if (!run) {
    return (
      <main>
        <h1>Run {id}</h1>
        {live.problem ? <ProblemView problem={live.problem} /> : <p aria-busy="true">Loading…</p>}
      </main>
    );
  }
  const instances = run.instances ?? [];
  const final = isFinal(run.state);
  // The run's own counts (a launch override, a scale) over the deployment's.
  const nodes = deployment.data?.nodes.map((n) => ({ ...n, multiplicity: run.nodes[n.name]?.multiplicity ?? n.multiplicity })) ?? nodesFromInstances(instances);
  return (
    <main>
      <div class="page-head">
        <h1>Run {run.id}</h1>
        <p class="run-state" role="status" aria-label={`Run state: ${run.state}`}>
          State: <StateBadge state={run.state} />
          {final ? null : <span class="muted"> · live, every {RUN_POLL_MS / 1000} s</span>}
        </p>
        <Terminate run={run} onDone={live.reload} />
      </div>
      {live.problem ? <ProblemView problem={live.problem} heading="The last refresh failed" /> : null}
      {run.scaling ? (
        <p class="notice" role="status">
          Scaling {run.scaling.node}: {run.scaling.from} → {run.scaling.to} instances
        </p>
      ) : null}
      {run.abortReason ? (
        <p class="problem" role="alert">
          <strong>Aborted:</strong> {run.abortReason}
        </p>
      ) : null}
      <dl class="facts">
        <div>
          <dt>Deployment</dt>
          <dd>
            <Link href={`/deployments/${run.deployment}`}>{deployment.data?.name ?? run.deployment}</Link> v{run.deploymentVersion}
          </dd>
        </div>
        {run.migratedFrom ? (
          <div>
            <dt>Migrated from</dt>
            <dd>
              <Link href={`/runs/${run.migratedFrom}`}>{run.migratedFrom}</Link>
            </dd>
          </div>
        ) : null}
        {run.migratedTo ? (
          <div>
            <dt>Migrated to</dt>
            <dd>
              <Link href={`/runs/${run.migratedTo}`}>{run.migratedTo}</Link>
            </dd>
          </div>
        ) : null}
        {run.migrating ? (
          <div>
            <dt>Migrating to</dt>
            <dd>
              <Link href={`/runs/${run.migrating}`}>{run.migrating}</Link> (this run ends once that one is Ready)
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Connector</dt>
          <dd>{run.connector ?? 'per node'}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{run.owner}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{time(run.createdAt)}</dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{run.expiresAt ? time(run.expiresAt) : 'never'}</dd>
        </div>
        {run.budgetWaitMs ? (
          <div>
            <dt>Waited for the cloud’s request budget</dt>
            <dd>{run.budgetWaitMs} ms</dd>
          </div>
        ) : null}
      </dl>
      <section aria-labelledby="graph">
        <h2 id="graph">Nodes and parameters</h2>
        {deployment.problem ? <ProblemView problem={deployment.problem} heading="The deployment could not be read: nodes shown without their edges" /> : null}
        <DeploymentGraph name={deployment.data?.name ?? run.deployment} nodes={nodes} instances={instances} imageNames={imageNames} />
      </section>
      {run.state === 'Ready' ? (
        <>
          <section aria-labelledby="scale">
            <h2 id="scale">Scale</h2>
            <Scale run={run} nodes={nodes} onDone={live.reload} />
          </section>
          <section aria-labelledby="migrate">
            <h2 id="migrate">Migrate</h2>
            <Migrate run={run} imageNames={imageNames} />
          </section>
        </>
      ) : null}
      <section aria-labelledby="instances">
        <h2 id="instances">Instances</h2>
        <Instances instances={instances} />
      </section>
      <section aria-labelledby="events">
        <h2 id="events">Events</h2>
        <Timeline events={live.data?.events ?? []} />
      </section>
    </main>
  );
}
