// One sweep kept current without reloading the page: its detail (trials, importance) and its
// trials' runs (for durations and saved models), loaded again when the sweep reports a trial that
// started or ended, or one of its runs started; bursts are coalesced as the runs list's are.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunSummary, SweepDetail } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { coalesce } from '../runs/use-runs-list.js';

export interface LiveSweep {
  sweep: SweepDetail | undefined;
  /** The trials' runs by id. */
  runs: ReadonlyMap<string, RunSummary>;
  error: ApiError | undefined;
  reload: () => void;
}

export function useLiveSweep(sweepId: string): LiveSweep {
  const { client } = useApp();
  const [loaded, setLoaded] = useState<{ sweep: SweepDetail; runs: ReadonlyMap<string, RunSummary> } | undefined>();
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const trigger = useRef<() => void>(() => undefined);

  useEffect(() => {
    let alive = true;
    setLoaded(undefined);
    const loader = coalesce(async () => {
      try {
        const [sweep, runs] = await Promise.all([
          client.call('sweeps.get', { sweepId }),
          client.call('runs.list', { query: `sweep = ${JSON.stringify(sweepId)}` }),
        ]);
        if (!alive) return;
        setLoaded({ sweep, runs: new Map(runs.map((r) => [r.id, r])) });
        setError(undefined);
      } catch (err) {
        if (alive) setError(toApiError(err));
      }
    });
    trigger.current = loader.trigger;
    loader.trigger();
    const offs = [
      client.on('sweep.progress', (p) => {
        if (p.sweepId === sweepId) loader.trigger();
      }),
      // A trial's run starting gives it a start time (its duration) after the sweep said it was queued.
      client.on('run.started', loader.trigger),
    ];
    return () => {
      alive = false;
      loader.dispose();
      for (const off of offs) off();
    };
  }, [client, sweepId]);

  const reload = useCallback(() => trigger.current(), []);
  return { sweep: loaded?.sweep, runs: loaded?.runs ?? new Map(), error, reload };
}
