// Keeps something fresh while it is on screen: loads at once, then every `everyMs` while the
// element behind `box` is displayed and the window visible (a hidden page slot or a background
// window polls nothing), and again whenever `refresh()` is called (e.g. on an engine event).
// The last answer stays shown while the next loads, so the page never blanks or blocks.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { toApiError, type ApiError } from '../../api/api-error.js';

export interface Polled<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** When the shown data was loaded (epoch ms). */
  loadedAt: number | undefined;
  refresh: () => void;
}

export function usePolled<T>(load: () => Promise<T>, deps: readonly unknown[], box: RefObject<HTMLElement | null>, everyMs: number): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loadedAt, setLoadedAt] = useState<number | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const depsKey = JSON.stringify(deps);
  const shownKey = useRef(depsKey);

  useEffect(() => {
    // Other inputs (another model or window): what is shown no longer answers them.
    if (shownKey.current !== depsKey) {
      shownKey.current = depsKey;
      setData(undefined);
      setError(undefined);
      setLoadedAt(undefined);
    }
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    const schedule = () => {
      if (current) timer = setTimeout(poll, everyMs);
    };
    const poll = (force = false) => {
      const visible = box.current?.offsetParent !== null && document.visibilityState === 'visible';
      if ((!visible && !force) || inFlight) return schedule();
      inFlight = true;
      loadRef.current().then(
        (d) => {
          inFlight = false;
          if (!current) return;
          setData(d);
          setError(undefined);
          setLoadedAt(Date.now());
          schedule();
        },
        (err: unknown) => {
          inFlight = false;
          if (!current) return;
          setError(toApiError(err));
          schedule();
        },
      );
    };
    poll(true);
    return () => {
      current = false;
      if (timer) clearTimeout(timer);
    };
    // depsKey stands for the caller's deps; tick is a manual refresh.
  }, [depsKey, tick, everyMs, box]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loadedAt, refresh };
}
