/** Images: the list, and one image with its inherited parent, native ids per cloud, versions and builds. */
import { ImageBuilds } from './builds';
import { get, getAll, seg } from './api';
import { time } from './format';
import { ProblemView } from './problem-view';
import { pathOf, ProjectLink } from './project-link';
import { Link } from './router';
import type { Image } from './types';
import { useLoad } from './use-load';
import { Versions } from './versions';

function ImageFields({ image, names }: { image: Image; names: Map<string, string> }) {
  const outputs = (image.outputs ?? []).map((o) => (typeof o === 'string' ? o : o.default === undefined ? o.name : `${o.name} (default ${o.default})`));
  return (
    <dl class="facts">
      <div>
        <dt>Project</dt>
        <dd>
          <ProjectLink project={image.project} />
        </dd>
      </div>
      <div>
        <dt>Parent</dt>
        <dd>{image.parent ? <Link href={`/images/${image.parent}`}>{names.get(image.parent) ?? image.parent}</Link> : 'none'}</dd>
      </div>
      <div>
        <dt>Native image ids</dt>
        <dd>
          {Object.entries(image.cloudImageIds ?? {}).map(([connector, id]) => (
            <div key={connector}>
              {connector}: <code>{id}</code>
            </div>
          ))}
          {Object.keys(image.cloudImageIds ?? {}).length ? null : 'inherited'}
        </dd>
      </div>
      <div>
        <dt>Inputs</dt>
        <dd>{image.inputs?.length ? image.inputs.join(', ') : 'none'}</dd>
      </div>
      <div>
        <dt>Outputs</dt>
        <dd>{outputs.length ? outputs.join(', ') : 'none'}</dd>
      </div>
      <div>
        <dt>Readiness</dt>
        <dd>{image.readiness ?? 'inherited or default'}</dd>
      </div>
      {image.recipe ? (
        <div class="wide">
          <dt>Recipe</dt>
          <dd>
            <pre>{image.recipe}</pre>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Images as a table: name, project, parent, native ids, version. `names`: image paths by id, for the parents. */
export function ImageTable({ images, names, caption }: { images: Image[]; names: Map<string, string>; caption?: string }) {
  return (
    <table>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Project</th>
          <th scope="col">Parent</th>
          <th scope="col">Native ids</th>
          <th scope="col">Version</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {images.map((image) => (
          <tr key={image.id}>
            <th scope="row">
              <Link href={`/images/${image.id}`}>{image.name}</Link>
            </th>
            <td>
              <ProjectLink project={image.project} />
            </td>
            <td>{image.parent ? (names.get(image.parent) ?? image.parent) : '—'}</td>
            <td>{Object.keys(image.cloudImageIds ?? {}).join(', ') || 'inherited'}</td>
            <td class="number">{image.version}</td>
            <td>{time(image.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Images() {
  const images = useLoad(() => getAll<Image>('/images'), []);
  const names = new Map((images.data ?? []).map((i) => [i.id, pathOf(i)]));
  return (
    <main>
      <h1>Images</h1>
      {images.problem ? <ProblemView problem={images.problem} /> : null}
      {images.data?.length ? <ImageTable images={images.data} names={names} /> : images.data ? <p class="empty">No image yet (POST /v1/images).</p> : null}
    </main>
  );
}

export function ImagePage({ id }: { id: string }) {
  const image = useLoad(() => get<Image>(`/images/${seg(id)}`), [id]);
  const all = useLoad(() => getAll<Image>('/images'), []);
  const names = new Map((all.data ?? []).map((i) => [i.id, pathOf(i)]));
  if (!image.data) return <main>{image.problem ? <ProblemView problem={image.problem} /> : <p aria-busy="true">Loading…</p>}</main>;
  return (
    <main>
      <h1>Image {image.data.name}</h1>
      <p class="muted">
        {image.data.id} · version {image.data.version} · updated {time(image.data.updatedAt)}
      </p>
      <ImageFields image={image.data} names={names} />
      <section aria-labelledby="image-builds">
        <h2 id="image-builds">Builds</h2>
        <ImageBuilds image={image.data} />
      </section>
      <section aria-labelledby="image-versions">
        <h2 id="image-versions">Versions</h2>
        <Versions<Image> collection="images" id={image.data.id} render={(version) => <ImageFields image={version} names={names} />} />
      </section>
    </main>
  );
}
