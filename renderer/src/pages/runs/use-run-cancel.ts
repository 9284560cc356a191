// Cancelling runs from the runs grid: which cancels are under way, what failed, and which runs
// the engine did not cancel (not in this window's queue any more).
import { useCallback, useState } from 'react';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';

export interface RunCancel {
  /** Runs whose cancel was asked for and not yet answered. */
  cancelling: ReadonlySet<string>;
  cancelError: ApiError | undefined;
  /** Why some runs were not cancelled, when some were not. */
  cancelNote: string | undefined;
  dismissNote: () => void;
  cancel: (ids: readonly string[]) => void;
}

/** Cancels runs by id; `onChanged` runs once every answer is in (the list is worth reloading). */
export function useRunCancel(onChanged: () => void): RunCancel {
  const { client } = useApp();
  const [cancelling, setCancelling] = useState<ReadonlySet<string>>(() => new Set());
  const [cancelError, setCancelError] = useState<ApiError | undefined>(undefined);
  const [cancelNote, setCancelNote] = useState<string | undefined>(undefined);
  const dismissNote = useCallback(() => setCancelNote(undefined), []);

  const cancel = useCallback(
    (ids: readonly string[]) => {
      setCancelError(undefined);
      setCancelNote(undefined);
      setCancelling((cur) => new Set([...cur, ...ids]));
      void Promise.allSettled(ids.map((runId) => client.call('runs.cancel', { runId }))).then((results) => {
        setCancelling((cur) => new Set([...cur].filter((id) => !ids.includes(id))));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) setCancelError(toApiError(failed.reason));
        // The host cancels only runs in its own queue: one started by another app or the CLI, or
        // one that ended meanwhile, is left as it is.
        const refused = results.filter((r) => r.status === 'fulfilled' && !r.value.cancelled).length;
        if (refused > 0) {
          setCancelNote(
            refused === 1
              ? 'One run was not cancelled: it is no longer queued or running in this window’s engine.'
              : `${refused} runs were not cancelled: they are no longer queued or running in this window’s engine.`,
          );
        }
        onChanged();
      });
    },
    [client, onChanged],
  );

  return { cancelling, cancelError, cancelNote, dismissNote, cancel };
}
