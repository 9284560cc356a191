// The endpoints the page shows: endpoints.list once, then every endpoint.status event, with a
// short log per endpoint (see endpoint-log.ts).
import { useCallback, useEffect, useState } from 'react';
import type { Endpoint } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { applyList, applyStatus, type EndpointMap } from './endpoint-log.js';

export interface EndpointsState {
  endpoints: EndpointMap;
  loaded: boolean;
  error: ApiError | undefined;
  /** Takes in an endpoint a call returned (e.g. endpoints.start) before its event arrives. */
  seen: (e: Endpoint) => void;
  /** Forgets a stopped endpoint. */
  dismiss: (id: string) => void;
}

export function useEndpoints(): EndpointsState {
  const { client } = useApp();
  const [endpoints, setEndpoints] = useState<EndpointMap>(() => new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);

  useEffect(() => {
    let current = true;
    // Subscribe first, so no event between the list and the subscription is lost.
    const off = client.on('endpoint.status', (e) => setEndpoints((m) => applyStatus(m, e)));
    client.call('endpoints.list', {}).then(
      (list) => {
        if (!current) return;
        setEndpoints((m) => applyList(m, list));
        setLoaded(true);
      },
      (err: unknown) => current && setError(toApiError(err)),
    );
    return () => {
      current = false;
      off();
    };
  }, [client]);

  const seen = useCallback(
    (e: Endpoint) => setEndpoints((m) => (m.get(e.id)?.endpoint.status === e.status ? m : applyStatus(m, e))),
    [],
  );
  const dismiss = useCallback(
    (id: string) =>
      setEndpoints((m) => {
        const next = new Map(m);
        next.delete(id);
        return next;
      }),
    [],
  );
  return { endpoints, loaded, error, seen, dismiss };
}
