/** Deployments: the list, and one deployment with its graph, nodes, versions and a launch link. */
import { get, getAll, seg } from './api';
import { DeploymentGraph } from './deployment-graph';
import { time } from './format';
import { useImageNames } from './image-names';
import { ProblemView } from './problem-view';
import { pathOf, ProjectLink } from './project-link';
import { Link } from './router';
import type { Deployment } from './types';
import { useLoad } from './use-load';
import { Versions } from './versions';

/** The Launch page with this deployment chosen (by path: names repeat across projects). */
const launchHref = (deployment: Deployment) => `/launch?deployment=${encodeURIComponent(pathOf(deployment))}`;

function Nodes({ deployment, imageNames }: { deployment: Deployment; imageNames: Map<string, string> }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Image</th>
          <th scope="col">VMs</th>
          <th scope="col">Connector</th>
          <th scope="col">Instance type</th>
          <th scope="col">Inputs</th>
        </tr>
      </thead>
      <tbody>
        {deployment.nodes.map((node) => (
          <tr key={node.name}>
            <th scope="row">{node.name}</th>
            <td>
              <Link href={`/images/${node.image}`}>{imageNames.get(node.image) ?? node.image}</Link>
            </td>
            <td class="number">{node.multiplicity}</td>
            <td>{node.connector ?? 'the run’s'}</td>
            <td>{node.instanceType ?? 'the image’s default'}</td>
            <td>
              {Object.entries(node.inputs ?? {})
                .map(([input, source]) => `${input} ← ${source}`)
                .join(', ') || '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Deployments as a table: name, project, nodes, version, and a launch link. */
export function DeploymentTable({ deployments, caption }: { deployments: Deployment[]; caption?: string }) {
  return (
    <table>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Project</th>
          <th scope="col">Nodes</th>
          <th scope="col">Version</th>
          <th scope="col">Updated</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {deployments.map((deployment) => (
          <tr key={deployment.id}>
            <th scope="row">
              <Link href={`/deployments/${deployment.id}`}>{deployment.name}</Link>
            </th>
            <td>
              <ProjectLink project={deployment.project} />
            </td>
            <td>{deployment.nodes.map((n) => `${n.name} × ${n.multiplicity}`).join(', ')}</td>
            <td class="number">{deployment.version}</td>
            <td>{time(deployment.updatedAt)}</td>
            <td>
              <Link href={launchHref(deployment)} aria-label={`Launch ${pathOf(deployment)}`}>
                Launch
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Deployments() {
  const deployments = useLoad(() => getAll<Deployment>('/deployments'), []);
  return (
    <main>
      <h1>Deployments</h1>
      {deployments.problem ? <ProblemView problem={deployments.problem} /> : null}
      {deployments.data?.length ? (
        <DeploymentTable deployments={deployments.data} />
      ) : deployments.data ? (
        <p class="empty">No deployment yet (POST /v1/deployments).</p>
      ) : null}
    </main>
  );
}

export function DeploymentPage({ id }: { id: string }) {
  const deployment = useLoad(() => get<Deployment>(`/deployments/${seg(id)}`), [id]);
  const imageNames = useImageNames();
  const d = deployment.data;
  if (!d) return <main>{deployment.problem ? <ProblemView problem={deployment.problem} /> : <p aria-busy="true">Loading…</p>}</main>;
  return (
    <main>
      <div class="page-head">
        <h1>Deployment {d.name}</h1>
        <Link class="button" href={launchHref(d)}>
          Launch {d.name}
        </Link>
      </div>
      <p class="muted">
        {d.id} · version {d.version} · updated {time(d.updatedAt)}
        {d.description ? ` · ${d.description}` : ''}
      </p>
      <dl class="facts">
        <div>
          <dt>Project</dt>
          <dd>
            <ProjectLink project={d.project} />
          </dd>
        </div>
      </dl>
      <DeploymentGraph name={d.name} nodes={d.nodes} imageNames={imageNames} />
      <Nodes deployment={d} imageNames={imageNames} />
      <section aria-labelledby="deployment-versions">
        <h2 id="deployment-versions">Versions</h2>
        <Versions<Deployment>
          collection="deployments"
          id={d.id}
          render={(version) => (
            <>
              <DeploymentGraph name={`${version.name} v${version.version}`} nodes={version.nodes} imageNames={imageNames} />
              <Nodes deployment={version} imageNames={imageNames} />
            </>
          )}
        />
      </section>
    </main>
  );
}
