// How the fleet's words read in the app: where work runs (Settings → Compute, the Train and Sweep
// dialogs, a run's page) and a worker's or the connection's state.
import type { ComputeTarget, FleetStatus, RunPlacement, WorkerState } from '../../../../shared/api.js';

export const COMPUTE_TARGETS: readonly ComputeTarget[] = ['local', 'fleet', 'fleet-when-connected'];

export function targetLabel(target: ComputeTarget): string {
  switch (target) {
    case 'local':
      return 'This machine';
    case 'fleet':
      return 'The fleet';
    case 'fleet-when-connected':
      return 'The fleet when connected';
  }
}

/**
 * Where a run asking for `target` trains now, as the engine's placeFor decides it (fleet.ts): the
 * fleet only while it is connected, and a plain "fleet" with none connected is refused.
 */
export function placeNow(target: ComputeTarget, status: FleetStatus | undefined): string {
  const connected = status?.state === 'connected' || status?.state === 'reconnecting';
  if (target === 'local') return 'trains on this machine';
  if (connected) return 'trains on the fleet';
  return target === 'fleet' ? 'refused while no fleet is connected' : 'trains on this machine (no fleet connected)';
}

export function connectionLabel(state: FleetStatus['state']): string {
  switch (state) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'disconnected':
      return 'Not connected';
  }
}

export function workerStateLabel(state: WorkerState): string {
  return state === 'live' ? 'Idle' : state === 'busy' ? 'Busy' : 'Lost';
}

export function placementLabel(p: RunPlacement): string {
  return p.place === 'local' ? 'This machine' : p.worker ? `Fleet (${p.worker})` : 'The fleet';
}
