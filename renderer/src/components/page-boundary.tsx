// A page that throws while rendering (or whose code fails to load: a server stopped under an open
// tab answers no chunk, and Vite reports "Unable to preload CSS") shows what went wrong and a
// retry in its own slot; the top bar and the other pages keep working, instead of a white window.
import { Component, type ReactNode } from 'react';
import { ApiError, toApiError } from '../api/api-error.js';
import { ErrorPanel } from './error-panel.js';

interface Props {
  /** The page's name, for the message. */
  label: string;
  children: ReactNode;
}

interface State {
  error: ApiError | undefined;
}

export class PageBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(err: unknown): State {
    return { error: err instanceof ApiError ? err : boundaryError(err) };
  }

  override componentDidCatch(err: unknown): void {
    console.error(`cairn: the ${this.props.label} page failed`, err);
  }

  private readonly retry = () => this.setState({ error: undefined });

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="page-boundary" data-testid="page-boundary">
        <ErrorPanel title={`The ${this.props.label} page stopped`} error={error}>
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

/** A chunk that would not load says the server is unreachable, not a stack trace. */
function boundaryError(err: unknown): ApiError {
  const message = err instanceof Error ? err.message : String(err);
  if (/preload CSS|dynamically imported module|Importing a module script failed|Failed to fetch/i.test(message)) {
    return new ApiError({
      code: 'internal',
      message: `this page's code could not be loaded from the Cairn server (${message}); is \`cairn ui\` still running?`,
    });
  }
  return toApiError(err);
}
