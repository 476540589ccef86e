/** The dashboard: runs by state, VMs by cloud and state, quota and usage per connector, recent runs and events. */
import { INSTANCE_STATES, RUN_STATES } from '#functions/domain/run-states';
import { loadDashboard, type DashboardData } from './dashboard-data';
import { StateBadge, time, vmHours } from './format';
import { ProblemView } from './problem-view';
import { Link } from './router';
import type { Role } from './session';
import { useLoad } from './use-load';

function QuotaBar({ label, used, max }: { label: string; used: number; max: number }) {
  const share = max > 0 ? Math.min(used / max, 1) : used > 0 ? 1 : 0;
  const level = share >= 1 ? 'full' : share >= 0.8 ? 'high' : 'ok';
  return (
    <div class="bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={used} aria-valuetext={`${used} of ${max} VMs`}>
      <div class={`fill ${level}`} style={{ width: `${share * 100}%` }} />
    </div>
  );
}

function RunsByState({ data }: { data: DashboardData }) {
  return (
    <section aria-labelledby="runs-by-state">
      <h2 id="runs-by-state">Runs by state</h2>
      <ul class="counts">
        {RUN_STATES.map((state) => (
          <li key={state}>
            <StateBadge state={state} /> <strong>{data.byState.get(state) ?? 0}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}

function VmsByCloud({ data }: { data: DashboardData }) {
  const connectors = [...data.vms.keys()].sort();
  return (
    <section aria-labelledby="vms-by-cloud">
      <h2 id="vms-by-cloud">VMs of live runs, by cloud and state</h2>
      {connectors.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Connector</th>
              {INSTANCE_STATES.map((state) => (
                <th scope="col" key={state}>
                  {state}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {connectors.map((connector) => (
              <tr key={connector}>
                <th scope="row">{connector}</th>
                {INSTANCE_STATES.map((state) => (
                  <td key={state} class="number">
                    {data.vms.get(connector)?.get(state) ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">No live run holds a VM.</p>
      )}
    </section>
  );
}

function Quotas({ data, role }: { data: DashboardData; role: Role }) {
  return (
    <section aria-labelledby="quotas">
      <h2 id="quotas">Quota and usage per connector{role === 'admin' ? ', per user' : ''}</h2>
      {data.quotas.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Connector</th>
              {role === 'admin' ? <th scope="col">User</th> : null}
              <th scope="col">VMs in use / quota</th>
              <th scope="col" class="bar-cell">
                <span class="visually-hidden">Quota bar</span>
              </th>
              <th scope="col">Usage this month</th>
            </tr>
          </thead>
          <tbody>
            {data.quotas.map((quota) => (
              <tr key={`${quota.user}/${quota.connector}`}>
                <th scope="row">{quota.connector}</th>
                {role === 'admin' ? <td>{quota.userName ?? quota.user}</td> : null}
                <td class="number">
                  {quota.used} / {quota.maxVms}
                  {quota.source === 'override' ? ' (override)' : ''}
                </td>
                <td class="bar-cell">
                  <QuotaBar label={`Quota of ${quota.userName ?? 'you'} on ${quota.connector}`} used={quota.used} max={quota.maxVms} />
                </td>
                <td class="number">{vmHours(quota.vmSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">No connector yet{role === 'admin' ? ': create one with POST /v1/connectors' : ': ask an admin for one'}.</p>
      )}
    </section>
  );
}

function RecentRuns({ data }: { data: DashboardData }) {
  return (
    <section aria-labelledby="recent-runs">
      <h2 id="recent-runs">Recent runs</h2>
      {data.runs.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Deployment</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {data.runs.slice(0, 10).map((run) => (
              <tr key={run.id}>
                <td>
                  <Link href={`/runs/${run.id}`}>{run.id}</Link>
                </td>
                <td>
                  {data.deploymentNames.get(run.deployment) ?? run.deployment} v{run.deploymentVersion}
                </td>
                <td>
                  <StateBadge state={run.state} />
                </td>
                <td>{time(run.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">
          No run yet: <Link href="/launch">launch one</Link>.
        </p>
      )}
    </section>
  );
}

function RecentEvents({ data }: { data: DashboardData }) {
  return (
    <section aria-labelledby="recent-events" class="wide">
      <h2 id="recent-events">Recent events</h2>
      {data.events.length ? (
        <ol class="timeline compact">
          {data.events.map((event, i) => (
            <li key={`${event.run}-${event.at}-${i}`}>
              <time dateTime={event.at}>{time(event.at)}</time> <Link href={`/runs/${event.run}`}>{event.run}</Link>{' '}
              {event.state ? <StateBadge state={event.state} /> : null} {event.message}
            </li>
          ))}
        </ol>
      ) : (
        <p class="empty">No event yet.</p>
      )}
    </section>
  );
}

export function Dashboard({ role }: { role: Role }) {
  const { data, problem, loading, reload } = useLoad(() => loadDashboard(role), [role], { everyMs: 10_000 });
  return (
    <main>
      <div class="page-head">
        <h1>Dashboard</h1>
        <p class="scope">{role === 'admin' ? 'All users (admin)' : 'Your runs, VMs and quotas'}</p>
        <button type="button" class="secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      {problem ? <ProblemView problem={problem} /> : null}
      {data ? (
        <div class="grid">
          <RunsByState data={data} />
          <VmsByCloud data={data} />
          <Quotas data={data} role={role} />
          <RecentRuns data={data} />
          <RecentEvents data={data} />
          {data.partial.length ? <p class="hint">Shown: {data.partial.join('; ')}.</p> : null}
        </div>
      ) : loading ? (
        <p aria-busy="true">Loading…</p>
      ) : null}
    </main>
  );
}
