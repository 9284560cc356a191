// A run as the engine has it, kept current while it runs: loaded with runs.get, then each
// run.progress event appends its epoch (so curves grow without reloading the run) and
// run.started/run.finished reload it. Epochs from events and from the store are merged by
// epoch number, so an event that races the first load is neither lost nor doubled. An automatic
// run trains its candidates one after another: its curves are the current candidate's, and once
// it ends the stored ones (the winner's).
import { useEffect, useMemo, useState } from 'react';
import type { EpochRecord, Run, RunProgress } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { toApiError, type ApiError } from '../../api/api-error.js';

export interface LiveRun {
  run: Run | undefined;
  /** Stored epochs merged with those that arrived since. */
  history: EpochRecord[];
  /** The latest progress event, while the run trains. */
  progress: RunProgress | undefined;
  error: ApiError | undefined;
}

/** Epochs of both lists, one per epoch number, in order; the later list wins a tie. */
export function mergeHistory(stored: readonly EpochRecord[], live: readonly EpochRecord[]): EpochRecord[] {
  if (live.length === 0) return [...stored];
  const byEpoch = new Map<number, EpochRecord>();
  for (const e of stored) byEpoch.set(e.epoch, e);
  for (const e of live) byEpoch.set(e.epoch, e);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

export function useLiveRun(runId: string): LiveRun {
  const { client } = useApp();
  const [run, setRun] = useState<Run | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [live, setLive] = useState<EpochRecord[]>([]);
  const [progress, setProgress] = useState<RunProgress | undefined>(undefined);
  /** Whether an automatic run moved to another candidate since the run was loaded (its stored epochs are then an earlier one's). */
  const [candidateChanged, setCandidateChanged] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    setRun(undefined);
    setLive([]);
    setCandidateChanged(false);
    setProgress(undefined);
    setError(undefined);
  }, [runId]);

  useEffect(() => {
    let current = true;
    client.call('runs.get', { runId }).then(
      (r) => current && setRun(r),
      (err: unknown) => current && setError(toApiError(err)),
    );
    return () => {
      current = false;
    };
  }, [client, runId, tick]);

  useEffect(() => {
    // Epochs can arrive faster than frames: collect them and render once per frame.
    let pending: RunProgress[] = [];
    let frame = 0;
    let candidate: string | undefined;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      // A new candidate starts its curves afresh: keep only the epochs since the last change of candidate.
      const start = batch.findLastIndex(
        (p, i) => p.candidate?.model !== (i === 0 ? candidate : batch[i - 1]?.candidate?.model),
      );
      const moved = start >= 0 && candidate !== undefined;
      candidate = batch.at(-1)?.candidate?.model ?? candidate;
      const epochs = batch.slice(Math.max(0, start)).map((p) => ({ epoch: p.epoch, logs: p.logs }));
      setLive((l) => (moved ? epochs : [...l, ...epochs]));
      if (moved) setCandidateChanged(true);
      setProgress(batch.at(-1));
    };
    const offProgress = client.on('run.progress', (p) => {
      if (p.runId !== runId) return;
      pending.push(p);
      if (!frame) frame = requestAnimationFrame(flush);
    });
    const reload = (p: { runId: string }) => p.runId === runId && setTick((t) => t + 1);
    const offStarted = client.on('run.started', reload);
    const offFinished = client.on('run.finished', (p) => {
      if (p.runId !== runId) return;
      setProgress(undefined);
      setTick((t) => t + 1);
    });
    return () => {
      offProgress();
      offStarted();
      offFinished();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, runId]);

  const history = useMemo(() => {
    if (!run || (run.status !== 'running' && run.status !== 'queued')) return run?.history ?? [];
    return candidateChanged ? live : mergeHistory(run.history, live);
  }, [run, live, candidateChanged]);
  return { run, history, progress: run && run.status !== 'running' ? undefined : progress, error };
}
