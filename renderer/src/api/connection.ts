// Whether the page can reach its engine: the browser host's event stream says so (it drops the
// moment `cairn ui` stops and opens again when it is back); the desktop app's IPC is always there.

/**
 * `connecting` before the first answer; `reconnecting` while the server is away; `refused` when it
 * is back but no longer takes this page's token (rotated): reconnecting cannot help then.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** One state and its listeners, for useSyncExternalStore. */
export class ConnectionStatus {
  private listeners = new Set<() => void>();

  constructor(private state: ConnectionState = 'connecting') {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): ConnectionState => this.state;

  set(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.listeners) l();
  }
}
