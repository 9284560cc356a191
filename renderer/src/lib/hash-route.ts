// Every page and selection as a URL fragment (#/runs/<id>, #/models/<name>/v3...), so a reload
// keeps the page, Back and Forward walk the user's steps, and a view can be bookmarked. Hash
// routes because the same build runs under the desktop app's app:// protocol, which serves one
// index.html and knows no other paths, and under `cairn ui`. The app keeps every visited page
// mounted (hidden) to keep its state, so a router that renders one matched component would fight
// it; what it needs is the current route as a value and a way to move, which this is.
import { useSyncExternalStore } from 'react';

export type Route =
  /** A dataset's version, or (with `sourceId`) a source's page beside the datasets: `#/sources/<id>`. */
  | { page: 'datasets'; datasetId?: string; version?: number; sourceId?: string }
  | { page: 'pipelines'; pipelineId?: string }
  /** A run's detail, over the compare view when it was opened from there. */
  | { page: 'runs'; runId?: string; compare?: string[] }
  /** The sweeps, or one sweep's page. */
  | { page: 'sweeps'; sweepId?: string }
  | { page: 'models'; model?: string; version?: number }
  | { page: 'endpoints'; endpointId?: string }
  | { page: 'monitoring'; model?: string }
  | { page: 'settings' }
  | { page: 'about' };

export type Page = Route['page'];
export type RouteOf<P extends Page> = Extract<Route, { page: P }>;

export const PAGES: readonly Page[] = [
  'datasets',
  'pipelines',
  'runs',
  'sweeps',
  'models',
  'endpoints',
  'monitoring',
  'settings',
  'about',
];

/** The fragment of a route, `#/page/segment...` with each segment percent-encoded. */
export function routeHash(route: Route): string {
  if (route.page === 'datasets' && route.sourceId) return `#/sources/${encodeURIComponent(route.sourceId)}`;
  const parts: string[] = [route.page];
  let query = '';
  switch (route.page) {
    case 'datasets':
      if (route.datasetId) parts.push(route.datasetId, ...versionPart(route.version));
      break;
    case 'models':
      if (route.model) parts.push(route.model, ...versionPart(route.version));
      break;
    case 'pipelines':
      if (route.pipelineId) parts.push(route.pipelineId);
      break;
    case 'runs':
      if (route.runId) parts.push(route.runId);
      if (route.compare?.length) query = `?compare=${route.compare.map(encodeURIComponent).join(',')}`;
      break;
    case 'sweeps':
      if (route.sweepId) parts.push(route.sweepId);
      break;
    case 'endpoints':
      if (route.endpointId) parts.push(route.endpointId);
      break;
    case 'monitoring':
      if (route.model) parts.push(route.model);
      break;
    case 'settings':
    case 'about':
      break;
  }
  return `#/${parts.map(encodeURIComponent).join('/')}${query}`;
}

function versionPart(version: number | undefined): string[] {
  return version === undefined ? [] : [`v${version}`];
}

/** The route a fragment names; anything unknown or malformed is the Datasets page. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q < 0 ? body : body.slice(0, q);
  // Read by hand, not with URLSearchParams: that would decode an id's %2C into the list's comma.
  const compareRaw = (q < 0 ? '' : body.slice(q + 1)).split('&').find((p) => p.startsWith('compare='));
  let segments: string[];
  let compare: string[];
  try {
    segments = path === '' ? [] : path.split('/').map(decodeURIComponent);
    compare = (compareRaw?.slice('compare='.length) ?? '').split(',').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { page: 'datasets' };
  }
  const [page, first, second] = segments;
  const version = second !== undefined && /^v\d+$/.test(second) ? Number(second.slice(1)) : undefined;
  switch (page) {
    case 'datasets':
      return first ? { page, datasetId: first, ...(version === undefined ? {} : { version }) } : { page };
    case 'sources':
      return first ? { page: 'datasets', sourceId: first } : { page: 'datasets' };
    case 'models':
      return first ? { page, model: first, ...(version === undefined ? {} : { version }) } : { page };
    case 'pipelines':
      return first ? { page, pipelineId: first } : { page };
    case 'runs':
      return { page, ...(first ? { runId: first } : {}), ...(compare.length ? { compare } : {}) };
    case 'sweeps':
      return first ? { page, sweepId: first } : { page };
    case 'endpoints':
      return first ? { page, endpointId: first } : { page };
    case 'monitoring':
      return first ? { page, model: first } : { page };
    case 'settings':
    case 'about':
      return { page };
    default:
      return { page: 'datasets' };
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

/** The last fragment parsed and its route: one object per address, so effects keyed on it run once. */
let parsed: { hash: string; route: Route } | undefined;

/** The route in the address bar, following Back, Forward and edits of the URL. */
export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  if (parsed?.hash !== hash) parsed = { hash, route: parseRoute(hash) };
  return parsed.route;
}

/**
 * Moves to a route: a new history entry for a step the user took, or `replace` for one the app
 * took for them (a default selection), which Back should not stop at.
 */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = routeHash(route);
  if (hash === window.location.hash) return;
  if (options.replace) window.location.replace(hash);
  else window.location.hash = hash;
}
