// React.lazy keeps a failed load forever, so a page whose chunk could not be fetched (the server
// was away) would fail again on every retry. This lazy component asks for its module again once
// the boundary around it retries (a new RetryAttempt), and not before: swapping at the failure
// itself would have React render the fresh one at once and load forever, never showing the error.
import { createContext, createElement, lazy, useContext, type ComponentType } from 'react';

/** How many times the nearest PageBoundary has retried; a change lets a failed lazy page load again. */
export const RetryAttempt = createContext(0);

export function retryableLazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const make = (attempt: number) => ({
    attempt,
    failed: false,
    component: lazy(() =>
      load().then(
        (component) => ({ default: component }),
        (err: unknown) => {
          if (current.attempt === attempt) current.failed = true;
          throw err;
        },
      ),
    ),
  });
  let current = make(0);
  function RetryableLazy(props: P) {
    const attempt = useContext(RetryAttempt);
    if (current.failed && attempt !== current.attempt) current = make(attempt);
    return createElement(current.component, props);
  }
  return RetryableLazy;
}
