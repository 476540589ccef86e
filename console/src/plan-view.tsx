/**
 * The preflight plan as the API answers it: every refusal, then per node its connector,
 * credential, native image (and the image chain it resolves through), machine and VM
 * count, then the quota on each connector before and after (for a migration, with what the
 * run migrated from holds there during the overlap).
 */
import { Link } from './router';
import type { LaunchPlan } from './types';

function machine(node: LaunchPlan['nodes'][number]): string {
  const parts = [node.instanceType, node.cpu && `${node.cpu} CPU`, node.ramMb && `${node.ramMb} MB`, node.diskGb && `${node.diskGb} GB disk`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'the cloud’s default';
}

export function PlanView({ plan, imageNames }: { plan: LaunchPlan; imageNames: Map<string, string> }) {
  // A migration's plan: the run migrated from keeps its VMs until the new run is Ready.
  const held = plan.quotas.some((quota) => quota.heldByMigratedRun !== undefined);
  return (
    <div class="plan">
      {plan.refusals.length ? (
        <div class="problem" role="alert">
          <strong>The launch would be refused</strong> (the run would end Aborted):
          <ul>
            {plan.refusals.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="notice ok" role="status">
          Launchable: version {plan.deploymentVersion} of the deployment, nothing refused.
        </p>
      )}
      {plan.nodes.length ? (
        <table>
          <caption>What the run would create</caption>
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">VMs</th>
              <th scope="col">Connector</th>
              <th scope="col">Native image</th>
              <th scope="col">Image chain</th>
              <th scope="col">Machine</th>
              <th scope="col">Credential</th>
            </tr>
          </thead>
          <tbody>
            {plan.nodes.map((node) => (
              <tr key={node.node}>
                <th scope="row">{node.node}</th>
                <td class="number">{node.multiplicity}</td>
                <td>{node.connector}</td>
                <td>
                  <code>{node.imageId}</code>
                </td>
                <td>
                  {node.images.map((image, i) => (
                    <span key={image.id}>
                      {i ? ' → ' : ''}
                      <Link href={`/images/${image.id}`}>{imageNames.get(image.id) ?? image.id}</Link> v{image.version}
                    </span>
                  ))}
                </td>
                <td>{machine(node)}</td>
                <td>{node.credential ? <code>{node.credential}</code> : <span class="error-text">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {plan.quotas.length ? (
        <table>
          <caption>Quota</caption>
          <thead>
            <tr>
              <th scope="col">Connector</th>
              <th scope="col">In use now</th>
              {held ? <th scope="col">Held by the run migrated from</th> : null}
              <th scope="col">This run needs</th>
              <th scope="col">In use after</th>
              <th scope="col">Quota</th>
            </tr>
          </thead>
          <tbody>
            {plan.quotas.map((quota) => (
              <tr key={quota.connector} class={quota.usedAfter > quota.maxVms ? 'refused' : undefined}>
                <th scope="row">{quota.connector}</th>
                <td class="number">{quota.usedBefore}</td>
                {held ? <td class="number">{quota.heldByMigratedRun ?? 0}</td> : null}
                <td class="number">{quota.needs}</td>
                <td class="number">{quota.usedAfter}</td>
                <td class="number">{quota.maxVms}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
