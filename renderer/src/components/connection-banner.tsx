// Says so when the engine's server went away under this page, and that it reconnects by itself;
// it goes once the event stream is back. Nothing shows while the page first connects.
import { useSyncExternalStore } from 'react';
import type { ConnectionStatus } from '../api/connection.js';

export function ConnectionBanner({ connection }: { connection: ConnectionStatus }) {
  const state = useSyncExternalStore(connection.subscribe, connection.snapshot);
  if (state === 'connected' || state === 'connecting') return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner" data-state={state}>
      {state === 'refused' ? (
        <>
          The Cairn server no longer accepts this page&apos;s token (it was rotated): open the URL <code>cairn ui</code>{' '}
          printed.
        </>
      ) : (
        <>
          <span className="connection-spinner" aria-hidden="true" />
          Disconnected from the Cairn server. Reconnecting… (is <code>cairn ui</code> still running?)
        </>
      )}
    </div>
  );
}
