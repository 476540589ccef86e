/**
 * Image builds: the image page's Build form (one build per chosen connector,
 * `POST /v1/images/{id}/build`) and its builds with their states, and a build's own page
 * (`/builds/<id>`): where it is in Pending → Launching → Running → Snapshotting → Succeeded,
 * its steps, what it made, and Cancel while it runs. Builds that are still moving are read
 * again every 1.5 s.
 */
import { useState } from 'preact/hooks';
import { isFinalBuild } from '#functions/domain/builds';
import { get, getAll, request, seg } from './api';
import { StateBadge, StepTimeline, time } from './format';
import { ProblemView } from './problem-view';
import { Link } from './router';
import type { Build, BuildState, Connector, Image } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** How often a build that is still moving is read again. */
export const BUILD_POLL_MS = 1500;

/** The way a build goes when nothing goes wrong. */
const PROGRESS: readonly BuildState[] = ['Pending', 'Launching', 'Running', 'Snapshotting', 'Succeeded'];

/** Choose connectors, start one build on each; `onStarted` gets the new builds. */
export function BuildForm({ image, onStarted }: { image: Image; onStarted: (builds: Build[]) => void }) {
  const connectors = useLoad(() => getAll<Connector>('/connectors'), []);
  const [chosen, setChosen] = useState<string[]>([]);
  const { busy, problem, setProblem, run: act } = useAction();
  const build = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      const answer = await request<{ builds: Build[] }>('POST', `/images/${seg(image.id)}/build`, {
        body: { connectors: chosen },
        headers: { 'idempotency-key': crypto.randomUUID() },
      });
      setChosen([]);
      onStarted(answer.builds);
    });
  };
  const toggle = (name: string, on: boolean) => {
    setChosen(on ? [...chosen, name] : chosen.filter((c) => c !== name));
    setProblem(undefined);
  };
  return (
    <form class="stack" onSubmit={build} aria-label="Build the image">
      {connectors.problem ? <ProblemView problem={connectors.problem} heading="The connectors could not be read" /> : null}
      <fieldset>
        <legend>Build on (one build per connector, from the parent’s native image there)</legend>
        {(connectors.data ?? []).map((c) => (
          <label key={c.name} class="check">
            <input type="checkbox" checked={chosen.includes(c.name)} onChange={(e) => toggle(c.name, e.currentTarget.checked)} /> {c.name}{' '}
            <span class="muted">({c.kind})</span>
          </label>
        ))}
      </fieldset>
      <div>
        <button type="submit" disabled={busy || !chosen.length}>
          Build
        </button>
      </div>
      {problem ? <ProblemView problem={problem} heading="The build was refused" /> : null}
    </form>
  );
}

/** The image's builds, newest first, each with its state (read again while one is moving). */
export function ImageBuilds({ image }: { image: Image }) {
  const builds = useLoad(() => getAll<Build>('/builds', { image: image.id }), [image.id], {
    everyMs: BUILD_POLL_MS,
    until: (items) => items.every((b) => isFinalBuild(b.state)),
  });
  const items = [...(builds.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <BuildForm image={image} onStarted={builds.reload} />
      {builds.problem ? <ProblemView problem={builds.problem} heading="The builds could not be read" /> : null}
      {items.length ? (
        <table>
          <caption>Builds of {image.name}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Build</th>
              <th scope="col">Connector</th>
              <th scope="col">State</th>
              <th scope="col">From version</th>
              <th scope="col">New version</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {items.map((build) => (
              <tr key={build.id}>
                <th scope="row">
                  <Link href={`/builds/${build.id}`}>{build.id}</Link>
                </th>
                <td>{build.connector}</td>
                <td>
                  <StateBadge state={build.state} />
                </td>
                <td class="number">{build.imageVersion}</td>
                <td class="number">{build.newImageVersion ?? '—'}</td>
                <td>{time(build.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : builds.data ? (
        <p class="empty">No build of this image yet.</p>
      ) : null}
    </>
  );
}

/** Where the build is on its way to Succeeded: the states passed, the current one, those to come (or where it ended instead). */
function Progress({ build }: { build: Build }) {
  const reached = new Set(build.steps.map((s) => s.state));
  reached.add(build.state);
  const offPath = !PROGRESS.includes(build.state);
  return (
    <ol class="progress" aria-label="Build progress">
      {PROGRESS.map((state) => {
        const current = state === build.state;
        const status = current ? 'current' : reached.has(state) ? 'done' : 'to come';
        return (
          <li key={state} class={`step-${status.replace(' ', '-')}`} aria-current={current ? 'step' : undefined}>
            {state}
            <span class="visually-hidden"> ({status})</span>
          </li>
        );
      })}
      {offPath ? (
        <li class="step-current step-ended" aria-current="step">
          <StateBadge state={build.state} />
        </li>
      ) : null}
    </ol>
  );
}

function CancelBuild({ build, onDone }: { build: Build; onDone: () => void }) {
  const [asked, setAsked] = useState(false);
  const { busy, problem, run: act } = useAction();
  if (isFinalBuild(build.state)) return null;
  const cancel = () =>
    act(async () => {
      await request<Build>('POST', `/builds/${seg(build.id)}/cancel`);
      setAsked(true);
      onDone();
    });
  return (
    <div class="terminate">
      <button type="button" class="danger" onClick={cancel} disabled={busy || asked}>
        Cancel build
      </button>
      {asked ? (
        <p class="notice" role="status">
          Cancel asked: at its next look the build ends Cancelled, its builder VM terminated.
        </p>
      ) : null}
      {problem ? <ProblemView problem={problem} heading="Cancel was refused" /> : null}
    </div>
  );
}

export function BuildPage({ id }: { id: string }) {
  const live = useLoad(() => get<Build>(`/builds/${seg(id)}`), [id], { everyMs: BUILD_POLL_MS, until: (b) => isFinalBuild(b.state) });
  const build = live.data;
  const image = useLoad(() => (build ? get<Image>(`/images/${seg(build.image)}`) : Promise.resolve(undefined)), [build?.image]);
  if (!build) {
    return (
      <main>
        <h1>Build {id}</h1>
        {live.problem ? <ProblemView problem={live.problem} /> : <p aria-busy="true">Loading…</p>}
      </main>
    );
  }
  const final = isFinalBuild(build.state);
  const imageName = image.data?.name ?? build.image;
  return (
    <main>
      <div class="page-head">
        <h1>Build {build.id}</h1>
        <p class="run-state" role="status" aria-label={`Build state: ${build.state}`}>
          State: <StateBadge state={build.state} />
          {final ? null : <span class="muted"> · live, every {BUILD_POLL_MS / 1000} s</span>}
        </p>
        <CancelBuild build={build} onDone={live.reload} />
      </div>
      {live.problem ? <ProblemView problem={live.problem} heading="The last refresh failed" /> : null}
      {build.failureReason ? (
        <p class="problem" role="alert">
          <strong>{build.state}:</strong> {build.failureReason}
        </p>
      ) : null}
      <Progress build={build} />
      <dl class="facts">
        <div>
          <dt>Image</dt>
          <dd>
            <Link href={`/images/${build.image}`}>{imageName}</Link> v{build.imageVersion}
          </dd>
        </div>
        <div>
          <dt>Connector</dt>
          <dd>{build.connector}</dd>
        </div>
        <div>
          <dt>From native image</dt>
          <dd>
            <code>{build.sourceImageId}</code>
          </dd>
        </div>
        <div>
          <dt>Builder VM</dt>
          <dd>
            <code>{build.builderCloudId ?? '—'}</code>
          </dd>
        </div>
        <div>
          <dt>Native image</dt>
          <dd>
            <code>{build.nativeImageName}</code>
            {build.builtImageId ? (
              <>
                {' '}
                → <code>{build.builtImageId}</code>
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>New image version</dt>
          <dd>{build.newImageVersion ? <Link href={`/images/${build.image}`}>{`${imageName} v${build.newImageVersion}`}</Link> : '—'}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{time(build.createdAt)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{time(build.updatedAt)}</dd>
        </div>
      </dl>
      <section aria-labelledby="build-steps">
        <h2 id="build-steps">Steps</h2>
        {build.steps.length ? <StepTimeline steps={build.steps} label="Build steps, oldest first" /> : <p class="empty">No step yet.</p>}
      </section>
    </main>
  );
}
