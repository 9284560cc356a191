// A pipeline's runs as the editor shows them: the run history (pipelines.runs), the run on show
// (the newest unless one is picked) loaded with pipelines.runGet, and its steps kept live by
// pipeline.step events. Step events are kept per run from the moment the hook subscribes, so
// the events of a run that starts before its id comes back from pipelines.run are not lost.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PipelineRun, PipelineRunSummary, PipelineStep } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { isOpen, laterRun, mergeSteps, stepOf } from './run-steps.js';

/** Live step reports kept for this many runs (the newest). */
const LIVE_RUNS = 5;

export interface PipelineRuns {
  runs: PipelineRunSummary[] | undefined;
  /** The run on show, with its status kept current by events. */
  run: PipelineRun | undefined;
  steps: ReadonlyMap<string, PipelineStep>;
  error: ApiError | undefined;
  /** Shows a run (e.g. one just started, or one picked from the history). */
  show: (runId: string) => void;
}

export function usePipelineRuns(pipelineId: string | undefined): PipelineRuns {
  const { client } = useApp();
  const [runs, setRuns] = useState<PipelineRunSummary[] | undefined>(undefined);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const [run, setRun] = useState<PipelineRun | undefined>(undefined);
  const [live, setLive] = useState<ReadonlyMap<string, ReadonlyMap<string, PipelineStep>>>(() => new Map());
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [listTick, setListTick] = useState(0);
  const [runTick, setRunTick] = useState(0);

  const shownId = picked ?? runs?.[0]?.id;

  useEffect(() => {
    setRuns(undefined);
    setPicked(undefined);
    setRun(undefined);
    setLive(new Map());
  }, [pipelineId]);

  useEffect(() => {
    if (!pipelineId) return;
    const offStep = client.on('pipeline.step', (e) => {
      if (e.pipelineId !== pipelineId) return;
      setLive((all) => {
        const next = new Map(all);
        const steps = new Map(next.get(e.runId) ?? []);
        steps.set(e.nodeId, stepOf(e));
        next.delete(e.runId);
        next.set(e.runId, steps);
        // Map order is insertion order: the least recently reported runs go first.
        while (next.size > LIVE_RUNS) next.delete(next.keys().next().value as string);
        return next;
      });
    });
    const offRun = client.on('pipeline.run', (e) => {
      if (e.pipelineId !== pipelineId) return;
      setRuns((list) =>
        list?.some((r) => r.id === e.id) ? list.map((r) => (r.id === e.id ? laterRun(r, e) : r)) : list,
      );
      setRun((r) => (r && r.id === e.id ? laterRun(r, e) : r));
      // A new run, or one that ended: the history's order and the run's final outputs come from the store.
      setListTick((t) => t + 1);
      if (!isOpen(e.status)) setRunTick((t) => t + 1);
    });
    return () => {
      offStep();
      offRun();
    };
  }, [client, pipelineId]);

  useEffect(() => {
    if (!pipelineId) return;
    let current = true;
    client.call('pipelines.runs', { pipelineId }).then(
      (list) => current && setRuns(list),
      (err: unknown) => current && setError(toApiError(err)),
    );
    return () => {
      current = false;
    };
  }, [client, pipelineId, listTick]);

  useEffect(() => {
    if (!shownId) {
      setRun(undefined);
      return;
    }
    let current = true;
    client.call('pipelines.runGet', { runId: shownId }).then(
      (r) => current && setRun((was) => (was && was.id === r.id ? laterRun(r, was) : r)),
      (err: unknown) => current && setError(toApiError(err)),
    );
    return () => {
      current = false;
    };
  }, [client, shownId, runTick]);

  const shownRun = run && run.id === shownId ? run : undefined;
  const liveSteps = shownId ? live.get(shownId) : undefined;
  const steps = useMemo(() => mergeSteps(shownRun, liveSteps ?? new Map()), [shownRun, liveSteps]);
  const show = useCallback((runId: string) => {
    setPicked(runId);
    setRunTick((t) => t + 1);
  }, []);
  return { runs, run: shownRun, steps, error, show };
}
