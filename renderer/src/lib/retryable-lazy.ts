// React.lazy keeps a failed load forever, so a page whose chunk could not be fetched (the server
// was away) would fail again on every retry. This lazy component starts over after a failure: the
// next render (PageBoundary's retry) asks for the module again.
import { createElement, lazy, type ComponentType, type LazyExoticComponent } from 'react';

export function retryableLazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const make = (): LazyExoticComponent<ComponentType<P>> =>
    lazy(() =>
      load().then(
        (component) => ({ default: component }),
        (err: unknown) => {
          current = make();
          throw err;
        },
      ),
    );
  let current = make();
  function RetryableLazy(props: P) {
    return createElement(current, props);
  }
  return RetryableLazy;
}
