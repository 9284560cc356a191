// The fleet as the renderer follows it: its status and workers, read at once, kept current by the
// engine's fleet.status / fleet.workers events, and read again every few seconds while shown (a
// dropped connection or a lost worker need not send an event the moment it happens).
import { useEffect, type RefObject } from 'react';
import type { FleetStatus, FleetWorker } from '../../../../shared/api.js';
import type { ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { usePolled } from '../../lib/use-polled.js';

const POLL_MS = 5000;

export interface FleetView {
  status: FleetStatus | undefined;
  workers: FleetWorker[] | undefined;
  error: ApiError | undefined;
  refresh: () => void;
}

export function useFleet(box: RefObject<HTMLElement | null>): FleetView {
  const { client } = useApp();
  const status = usePolled(() => client.call('fleet.status', {}), [client], box, POLL_MS, { keepOnChange: true });
  const workers = usePolled(() => client.call('fleet.workers', {}), [client], box, POLL_MS, { keepOnChange: true });
  const refreshStatus = status.refresh;
  const refreshWorkers = workers.refresh;
  useEffect(() => {
    const offs = [client.on('fleet.status', refreshStatus), client.on('fleet.workers', refreshWorkers)];
    return () => offs.forEach((off) => off());
  }, [client, refreshStatus, refreshWorkers]);
  return {
    status: status.data,
    workers: workers.data,
    error: status.error ?? workers.error,
    refresh: () => {
      refreshStatus();
      refreshWorkers();
    },
  };
}
