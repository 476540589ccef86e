/** A version-controlled resource's versions, newest first, each one's content a click away. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { getAll, seg } from './api';
import { time } from './format';
import { ProblemView } from './problem-view';
import { useLoad } from './use-load';

interface Versioned {
  version: number;
  updatedAt: string;
}

export function Versions<T extends Versioned>({
  collection,
  id,
  render,
}: {
  collection: 'images' | 'deployments';
  id: string;
  render: (item: T) => ComponentChildren;
}) {
  const versions = useLoad(() => getAll<T>(`/${collection}/${seg(id)}/versions`), [collection, id]);
  const [open, setOpen] = useState<number>();
  if (versions.problem) return <ProblemView problem={versions.problem} />;
  const items = [...(versions.data ?? [])].sort((a, b) => b.version - a.version);
  return (
    <ol class="versions" aria-label="Versions, newest first">
      {items.map((item) => (
        <li key={item.version}>
          <button type="button" class="link" aria-expanded={open === item.version} onClick={() => setOpen(open === item.version ? undefined : item.version)}>
            Version {item.version}
          </button>{' '}
          <span class="muted">{time(item.updatedAt)}</span>
          {open === item.version ? <div class="version-body">{render(item)}</div> : null}
        </li>
      ))}
    </ol>
  );
}
