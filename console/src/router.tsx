/**
 * A small history-API router: the console's pages have real paths (`/runs/run_…`),
 * which the local server and CloudFront answer with index.html, so a reload or a
 * shared link opens the same page. Links written with a hash (`/#/order?product=…`,
 * what a store's "Buy this" link redirects to, and `/#/orders/<id>`) open the same
 * page: the hash's path becomes the location's.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

/** `/#/orders/ord_…` → `/orders/ord_…` (in place, no new history entry); true when the location changed. */
export function adoptHashRoute(): boolean {
  if (!location.hash.startsWith('#/')) return false;
  history.replaceState(null, '', location.hash.slice(1));
  return true;
}

addEventListener('hashchange', () => {
  if (adoptHashRoute()) for (const listener of listeners) listener();
});

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/** The current location; re-renders on navigation and on back/forward. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

/** An in-app link: a plain `<a href>` (open in a new tab works) that navigates without reloading on a plain click. */
export interface LinkProps {
  href: string;
  children: ComponentChildren;
  class?: string;
  'aria-label'?: string;
  'aria-current'?: 'page';
}

export function Link(props: LinkProps) {
  const { href, children, ...rest } = props;
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a {...rest} href={href} onClick={onClick}>
      {children}
    </a>
  );
}

/** The first pattern (`/runs/:id`) that matches `path`, with its parameters decoded. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return undefined;
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
  } catch {
    return undefined;
  }
}
