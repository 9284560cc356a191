// The list of runs, kept current: reloaded when a run starts or ends (bursts coalesced into at
// most one call in flight and one waiting), when the window comes back to the front and when the
// query or grouping changes, with each running run's latest epoch patched in from run.progress
// without touching the list, so the table's sorted and filtered copies are not recomputed on every
// epoch. With a grouping field, the engine's groups (runs.groups) come with the same load, and
// when some run is a sweep's trial, the sweeps (their best scores) do too.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunGroups, RunProgress, RunSummary, SweepSummary } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { presentMetrics } from './runs-query.js';

/**
 * Wraps `task` so that triggers while it runs are folded into one more run after it: a burst
 * of 50 run.finished events costs two list calls, not 50.
 */
export function coalesce(task: () => Promise<void>): { trigger: () => void; dispose: () => void } {
  let running = false;
  let pending = false;
  let disposed = false;
  const start = () => {
    running = true;
    pending = false;
    task()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (pending && !disposed) start();
      });
  };
  return {
    trigger: () => {
      if (disposed) return;
      if (running) pending = true;
      else start();
    },
    dispose: () => {
      disposed = true;
    },
  };
}

const PROGRESS_EVERY_MS = 150;

const NO_SWEEPS: ReadonlyMap<string, SweepSummary> = new Map();

const TERMINAL = new Set<RunSummary['status']>(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** What the list shows: the runs a query keeps (all for ''), grouped by a field or not. */
export interface RunsView {
  query: string;
  groupBy: string | null;
}

export interface RunsList {
  runs: RunSummary[] | undefined;
  /** The groups of `runs`, when the view groups them. */
  groups: RunGroups | undefined;
  /** The sweeps some of `runs` are trials of, by id. */
  sweeps: ReadonlyMap<string, SweepSummary>;
  /** The view `runs` and `groups` answer (the view asked for may be a load ahead). */
  shown: RunsView | undefined;
  error: ApiError | undefined;
  /** The latest epoch of each run that reported one since it last showed as finished. */
  progress: ReadonlyMap<string, RunProgress>;
  reload: () => void;
}

export function useRunsList(view: RunsView): RunsList {
  const { client } = useApp();
  const [loaded, setLoaded] = useState<
    { runs: RunSummary[]; groups?: RunGroups; sweeps: ReadonlyMap<string, SweepSummary>; view: RunsView } | undefined
  >();
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [progress, setProgress] = useState<ReadonlyMap<string, RunProgress>>(() => new Map());

  // The loader reads the latest view when it starts, so a burst of changes costs one more load.
  const viewRef = useRef(view);
  viewRef.current = view;
  // Made in the effect, so its disposal pairs with its creation (StrictMode runs effects twice).
  const trigger = useRef<() => void>(() => undefined);
  useEffect(() => {
    let alive = true;
    const loader = coalesce(async () => {
      const v = viewRef.current;
      try {
        const query = v.query === '' ? undefined : v.query;
        const list = await client.call('runs.list', { query });
        // The groups summarise the headline scores the table would show for these runs.
        const groups =
          v.groupBy === null
            ? undefined
            : await client.call('runs.groups', {
                query,
                groupBy: v.groupBy,
                metrics: presentMetrics(list).map((m) => `test.${m}`),
              });
        const sweeps = list.some((r) => r.sweepId !== null) ? await client.call('sweeps.list', {}) : [];
        if (!alive) return;
        setLoaded({
          runs: list,
          view: v,
          sweeps: new Map(sweeps.map((s) => [s.id, s])),
          ...(groups ? { groups } : {}),
        });
        setError(undefined);
        // Progress of runs that have since ended is stale: the row shows their final state.
        setProgress((cur) => {
          if (cur.size === 0) return cur;
          const ended = new Set(list.filter((r) => TERMINAL.has(r.status) && cur.has(r.id)).map((r) => r.id));
          if (ended.size === 0) return cur;
          return new Map([...cur].filter(([id]) => !ended.has(id)));
        });
      } catch (err) {
        if (alive) setError(toApiError(err));
      }
    });
    trigger.current = loader.trigger;
    loader.trigger();
    // Small models report hundreds of epochs a second: the rows take the latest every 150 ms.
    const latest = new Map<string, RunProgress>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = [...latest.values()];
      latest.clear();
      setProgress((cur) => {
        const next = new Map(cur);
        for (const p of batch) next.set(p.runId, p);
        return next;
      });
    };
    const offs = [
      client.on('run.queued', loader.trigger),
      client.on('run.started', loader.trigger),
      client.on('run.finished', loader.trigger),
      // A sweep's best moves after its trial's run ended.
      client.on('sweep.progress', loader.trigger),
      client.on('run.progress', (p) => {
        latest.set(p.runId, p);
        timer ??= setTimeout(flush, PROGRESS_EVERY_MS);
      }),
    ];
    // Runs started elsewhere (the CLI, another window) land in the same data folder.
    window.addEventListener('focus', loader.trigger);
    return () => {
      alive = false;
      clearTimeout(timer);
      loader.dispose();
      for (const off of offs) off();
      window.removeEventListener('focus', loader.trigger);
    };
  }, [client]);

  const { query, groupBy } = view;
  // The first view is loaded by the effect above; each change after it loads anew.
  const firstView = useRef(true);
  useEffect(() => {
    if (firstView.current) firstView.current = false;
    else trigger.current();
  }, [query, groupBy]);

  const reload = useCallback(() => trigger.current(), []);
  return {
    runs: loaded?.runs,
    groups: loaded?.groups,
    sweeps: loaded?.sweeps ?? NO_SWEEPS,
    shown: loaded?.view,
    error,
    progress,
    reload,
  };
}
