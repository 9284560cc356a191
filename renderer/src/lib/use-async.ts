// Loads something for the current inputs and drops replies for inputs that have since changed,
// so a slow answer for the previous dataset never overwrites the one on screen.
import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api/api-error.js';

export interface AsyncState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  /** Replaces the data locally, e.g. after a call that returns the new value. */
  set: (update: (current: T | undefined) => T | undefined) => void;
}

export function useAsync<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!load) {
      setData(undefined);
      setError(undefined);
      setLoading(false);
      return;
    }
    let current = true;
    setLoading(true);
    load().then(
      (d) => {
        if (!current) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // The caller's deps decide when to reload; `load` is a fresh closure every render.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, set: setData };
}
