// The state of a call the user started (a dialog's submit, a form's save): busy while it runs, and
// its error if it fails, so the form can be fixed and sent again.
import { useState } from 'react';
import { toApiError, type ApiError } from '../api/api-error.js';

export interface ActionState {
  busy: boolean;
  error: ApiError | undefined;
  /** Starts `call` (clearing the last error); `onDone` gets its result, a failure keeps its error. */
  run: <T>(call: () => Promise<T>, onDone: (result: T) => void) => void;
}

export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const run = <T>(call: () => Promise<T>, onDone: (result: T) => void) => {
    setBusy(true);
    setError(undefined);
    call().then(
      (result) => {
        setBusy(false);
        onDone(result);
      },
      (err: unknown) => {
        setError(toApiError(err));
        setBusy(false);
      },
    );
  };
  return { busy, error, run };
}
