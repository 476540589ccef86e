/**
 * Projects (`/projects`): the caller's projects as a tree built from the paths `GET /v1/projects`
 * lists (a parent that holds nothing itself is not listed: it is derived from its children's
 * paths), each with what it holds directly; choosing one (`/projects?project=shop/backend`,
 * `project=/` for the top level) shows its images, deployments and products, the lists'
 * `?project=` (with `subprojects=true` when asked, everything below it too).
 */
import { useState } from 'preact/hooks';
import { getAll } from './api';
import { DeploymentTable } from './deployments';
import { StateBadge } from './format';
import { useImageNames } from './image-names';
import { ImageTable } from './images';
import { ProblemView } from './problem-view';
import { projectHref, ProjectLink } from './project-link';
import { countsText, projectTree, type ProjectNode } from './project-tree';
import { Link, useLocation } from './router';
import type { Deployment, Image, ProductView, ProjectSummary } from './types';
import { useLoad } from './use-load';

function TreeItems({ nodes, chosen }: { nodes: ProjectNode[]; chosen: string | undefined }) {
  return (
    <>
      {nodes.map((node) => (
        <li key={node.path}>
          <Link href={projectHref(node.path)} aria-current={chosen === node.path ? 'page' : undefined}>
            {node.name}
          </Link>{' '}
          <span class="counts-text">{countsText(node.summary)}</span>
          {node.children.length ? (
            <ul aria-label={`Projects in ${node.path}`}>
              <TreeItems nodes={node.children} chosen={chosen} />
            </ul>
          ) : null}
        </li>
      ))}
    </>
  );
}

function ProductTable({ products, caption }: { products: ProductView[]; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Project</th>
          <th scope="col">State</th>
          <th scope="col">Version</th>
          <th scope="col">Connector</th>
        </tr>
      </thead>
      <tbody>
        {products.map((product) => (
          <tr key={product.id}>
            <th scope="row">{product.name}</th>
            <td>
              <ProjectLink project={product.project} />
            </td>
            <td>
              <StateBadge state={product.state} />
            </td>
            <td class="number">{product.version}</td>
            <td>{product.connector}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What one project holds: its images, deployments and products (and, when asked, its subprojects'). */
function ProjectContents({ project }: { project: string }) {
  const [subprojects, setSubprojects] = useState(false);
  const imageNames = useImageNames();
  const lists = useLoad(async () => {
    const query = { project, subprojects: subprojects || undefined };
    const [images, deployments, products] = await Promise.all([
      getAll<Image>('/images', query),
      getAll<Deployment>('/deployments', query),
      getAll<ProductView>('/products', query),
    ]);
    return { images, deployments, products };
  }, [project, subprojects]);
  const top = project === '/';
  const where = top ? 'the top level' : project;
  const data = lists.data;
  return (
    <section aria-labelledby="project-contents">
      <h2 id="project-contents">{top ? 'Top level (no project)' : `Project ${project}`}</h2>
      {top ? null : (
        <label class="check">
          <input type="checkbox" checked={subprojects} onChange={(e) => setSubprojects(e.currentTarget.checked)} /> Include its subprojects
        </label>
      )}
      {lists.problem ? <ProblemView problem={lists.problem} heading={`What ${where} holds could not be read`} /> : null}
      {data ? (
        <>
          {data.images.length ? (
            <ImageTable images={data.images} names={imageNames} caption={`Images in ${where}`} />
          ) : (
            <p class="empty">No image in {where}.</p>
          )}
          {data.deployments.length ? (
            <DeploymentTable deployments={data.deployments} caption={`Deployments in ${where}`} />
          ) : (
            <p class="empty">No deployment in {where}.</p>
          )}
          {data.products.length ? <ProductTable products={data.products} caption={`Products in ${where}`} /> : <p class="empty">No product in {where}.</p>}
        </>
      ) : lists.problem ? null : (
        <p aria-busy="true">Loading…</p>
      )}
    </section>
  );
}

export function Projects() {
  const { search } = useLocation();
  const chosen = search.get('project') ?? undefined;
  const projects = useLoad(() => getAll<ProjectSummary>('/projects'), []);
  const tree = projectTree(projects.data ?? []);
  return (
    <main>
      <h1>Projects</h1>
      <p class="hint">
        Images, deployments and products live in a project (a path such as <code>shop/backend</code>) or at the top level. Listed: your projects that hold
        something, with what each holds directly, and their parents.
      </p>
      {projects.problem ? <ProblemView problem={projects.problem} /> : null}
      <div class="grid projects">
        <nav aria-label="Project tree">
          <ul class="tree" aria-label="Projects">
            <li>
              <Link href={projectHref(undefined)} aria-current={chosen === '/' ? 'page' : undefined}>
                Top level
              </Link>{' '}
              <span class="counts-text">no project</span>
            </li>
            <TreeItems nodes={tree} chosen={chosen} />
          </ul>
          {projects.data && !projects.data.length ? <p class="empty">No project yet: give an image, deployment or product a project.</p> : null}
        </nav>
        {chosen ? <ProjectContents key={chosen} project={chosen} /> : <p class="hint">Choose a project to see what it holds.</p>}
      </div>
    </main>
  );
}
