// Keeps something fresh while it is on screen: loads at once, then every `everyMs` while the
// element behind `box` is displayed and the window visible (a hidden page slot or a background
// window polls nothing, and loads at once when shown again), and whenever `refresh()` is called
// (e.g. on an engine event); not at all while `enabled` is false (what was loaded stays shown).
// The last answer stays shown while the next loads, so the page never blanks or blocks; when the
// deps change it is cleared, unless `keepOnChange` (a chart that should not blank between windows).
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { toApiError, type ApiError } from '../api/api-error.js';

const HIDDEN_CHECK_MS = 500;

export interface Polled<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** When the shown data was loaded (epoch ms). */
  loadedAt: number | undefined;
  refresh: () => void;
}

export interface PollOptions {
  /** False: no loads at all (e.g. a stopped endpoint); the last data stays. Default true. */
  enabled?: boolean;
  /** Keep the shown data when the deps change until the new answer comes. Default false. */
  keepOnChange?: boolean;
}

export function usePolled<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  box: RefObject<HTMLElement | null>,
  everyMs: number,
  { enabled = true, keepOnChange = false }: PollOptions = {},
): Polled<T> {
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
      if (!keepOnChange) {
        setData(undefined);
        setError(undefined);
        setLoadedAt(undefined);
      }
    }
    if (!enabled) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let lastLoad = 0;
    let wasHidden = false;
    const schedule = (ms: number) => {
      if (current) timer = setTimeout(() => poll(false), ms);
    };
    const poll = (force: boolean) => {
      const visible = box.current?.offsetParent !== null && document.visibilityState === 'visible';
      // Hidden: look again soon (a cheap check), so figures are fresh the moment the page is shown.
      if (!visible && !force) {
        wasHidden = true;
        return schedule(HIDDEN_CHECK_MS);
      }
      const age = Date.now() - lastLoad;
      if (!force && !wasHidden && age < everyMs) return schedule(everyMs - age);
      if (inFlight) return schedule(HIDDEN_CHECK_MS);
      wasHidden = false;
      inFlight = true;
      loadRef.current().then(
        (d) => {
          inFlight = false;
          lastLoad = Date.now();
          if (!current) return;
          setData(d);
          setError(undefined);
          setLoadedAt(lastLoad);
          schedule(everyMs);
        },
        (err: unknown) => {
          inFlight = false;
          lastLoad = Date.now();
          if (!current) return;
          setError(toApiError(err));
          schedule(everyMs);
        },
      );
    };
    poll(true);
    return () => {
      current = false;
      if (timer) clearTimeout(timer);
    };
    // depsKey stands for the caller's deps; tick is a manual refresh.
  }, [depsKey, tick, everyMs, box, enabled, keepOnChange]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loadedAt, refresh };
}
