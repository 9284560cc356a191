// A page that throws while rendering (or whose code fails to load: a server stopped under an open
// tab answers no chunk, and Vite reports "Unable to preload CSS") shows what went wrong and a
// retry in its own slot; the top bar and the other pages keep working, instead of a white window.
import { Component, type ReactNode } from 'react';
import { ApiError, toApiError } from '../api/api-error.js';
import { RetryAttempt } from '../lib/retryable-lazy.js';
import { ErrorPanel } from './error-panel.js';

interface Props {
  /** The page's name, for the message. */
  label: string;
  children: ReactNode;
}

interface State {
  error: ApiError | undefined;
  /** Retries so far: a lazy page whose code failed to load asks for it again on the next. */
  attempt: number;
}

export class PageBoundary extends Component<Props, State> {
  override state: State = { error: undefined, attempt: 0 };

  static getDerivedStateFromError(err: unknown): Partial<State> {
    return { error: err instanceof ApiError ? err : boundaryError(err) };
  }

  override componentDidCatch(err: unknown): void {
    console.error(`cairn: the ${this.props.label} page failed`, err);
  }

  private readonly retry = () => {
    refetchFailedStylesheets();
    this.setState((s) => ({ error: undefined, attempt: s.attempt + 1 }));
  };

  override render() {
    const { error, attempt } = this.state;
    if (!error) return <RetryAttempt.Provider value={attempt}>{this.props.children}</RetryAttempt.Provider>;
    return (
      <div className="page-boundary" data-testid="page-boundary">
        <ErrorPanel title={`Could not show the ${this.props.label} page`} error={error}>
          <button type="button" className="btn btn-primary" onClick={this.retry} data-testid="page-retry">
            Try again
          </button>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            Reload the window
          </button>
        </ErrorPanel>
      </div>
    );
  }
}

/**
 * Vite adds a chunk's stylesheet link once and never again, so one that failed while the server
 * was away would leave the page unstyled after a retry: a fresh copy of the link fetches it anew.
 */
function refetchFailedStylesheets(): void {
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')) {
    if (!link.sheet) link.replaceWith(link.cloneNode());
  }
}

/** A chunk that would not load says the server is unreachable, not a stack trace. */
function boundaryError(err: unknown): ApiError {
  const message = err instanceof Error ? err.message : String(err);
  if (/preload CSS|dynamically imported module|Importing a module script failed|Failed to fetch/i.test(message)) {
    return new ApiError({
      code: 'internal',
      message: `The page's code could not be loaded from the Cairn server (${message}). Is \`cairn ui\` still running?`,
    });
  }
  return toApiError(err);
}
