// The fleet's workers as the queue's registry has them: name and host, cores, memory, backend,
// Cairn version, how many jobs at once, state (idle, busy, lost) and the jobs each holds now.
import type { FleetWorker } from '../../../../shared/api.js';
import { formatBytes, formatDate } from '../../lib/format.js';
import { useApp } from '../../app-context.js';
import { workerStateLabel } from './compute-labels.js';

export function FleetWorkers({ workers }: { workers: FleetWorker[] }) {
  const { openRun } = useApp();
  if (workers.length === 0)
    return (
      <p className="muted" data-testid="fleet-no-workers">
        No worker has registered with this queue. Start one with <code>cairn worker --queue URL --store STORE</code>{' '}
        (README, “Running a fleet”).
      </p>
    );
  return (
    <table className="fleet-workers" data-testid="fleet-workers">
      <thead>
        <tr>
          <th>Worker</th>
          <th>State</th>
          <th className="num">Cores</th>
          <th className="num">Memory</th>
          <th>Backend</th>
          <th>Cairn</th>
          <th className="num">Jobs at once</th>
          <th>Working on</th>
        </tr>
      </thead>
      <tbody>
        {workers.map((w) => (
          <tr key={w.name} data-testid="fleet-worker" data-state={w.state}>
            <td>
              <strong>{w.name}</strong>
              {w.hostname !== w.name && <div className="muted mono">{w.hostname}</div>}
            </td>
            <td>
              <span className={`worker-state worker-${w.state}`} title={`last seen ${formatDate(w.lastSeen)}`}>
                {workerStateLabel(w.state)}
              </span>
            </td>
            <td className="num">{w.cores}</td>
            <td className="num">{formatBytes(w.memoryBytes)}</td>
            <td className="mono">{w.backend}</td>
            <td className="mono">{w.cairnVersion}</td>
            <td className="num">{w.concurrency}</td>
            <td>
              {w.jobs.length === 0 ? (
                <span className="muted">—</span>
              ) : (
                <ul className="worker-jobs">
                  {w.jobs.map((j) => (
                    <li key={j.jobId}>
                      {j.runId ? (
                        <button type="button" className="btn-link mono" onClick={() => openRun(j.runId!)}>
                          {j.kind} {j.runId.slice(0, 8)}
                        </button>
                      ) : (
                        <span className="mono">
                          {j.kind} {j.jobId.slice(0, 8)}
                        </span>
                      )}{' '}
                      <span className="muted">since {formatDate(j.startedAt)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
