// The live chart of one endpoint: endpoints.stats polled every 2 s while the page is on screen
// (a hidden page slot or a background window polls nothing), drawn by trafficOption.
import { useMemo, useRef, useState } from 'react';
import { useApp } from '../../app-context.js';
import { Chart } from '../../components/chart.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatMs } from '../../lib/format.js';
import { usePolled } from '../../lib/use-polled.js';
import { trafficOption } from './traffic-chart.js';

const POLL_MS = 2_000;
const WINDOWS = [
  { seconds: 60, label: '1 min' },
  { seconds: 300, label: '5 min' },
  { seconds: 900, label: '15 min' },
];

export function LiveTraffic({ endpointId, live }: { endpointId: string; live: boolean }) {
  const { client } = useApp();
  const box = useRef<HTMLElement>(null);
  const [windowSeconds, setWindowSeconds] = useState(60);
  // Another window keeps the chart up until its figures come; a stopped endpoint keeps its last.
  const { data: stats, error } = usePolled(
    () => client.call('endpoints.stats', { endpointId, windowSeconds }),
    [endpointId, windowSeconds],
    box,
    POLL_MS,
    {
      enabled: live,
      keepOnChange: true,
    },
  );

  const option = useMemo(() => (stats ? trafficOption(stats) : undefined), [stats]);
  const total = stats?.total;
  return (
    <section className="panel live-traffic" ref={box} data-testid="live-traffic" data-requests={total?.requests ?? 0}>
      <div className="panel-head">
        <h2 className="panel-title">Traffic</h2>
        {total && (
          <span className="traffic-totals small" data-testid="traffic-totals">
            <span>
              <strong>{total.requests}</strong> request{total.requests === 1 ? '' : 's'}
            </span>
            <span className={total.errors ? 'warn' : ''}>
              <strong>{total.errors}</strong> error{total.errors === 1 ? '' : 's'}
            </span>
            <span>
              p50 <strong>{formatMs(total.p50)}</strong>
            </span>
            <span>
              p99 <strong>{formatMs(total.p99)}</strong>
            </span>
          </span>
        )}
        <span className="status-spacer" />
        <div className="segmented" role="group" aria-label="Time window">
          {WINDOWS.map((w) => (
            <button
              key={w.seconds}
              type="button"
              className={w.seconds === windowSeconds ? 'active' : ''}
              aria-pressed={w.seconds === windowSeconds}
              onClick={() => setWindowSeconds(w.seconds)}
            >
              {w.label}
            </button>
          ))}
        </div>
      </div>
      {error && <ErrorPanel title="Could not read the endpoint's traffic" error={error} />}
      {!live && !stats && <p className="muted small">The endpoint is not running.</p>}
      {option && (
        <Chart
          option={option}
          height={260}
          label="Requests per second and latency percentiles over time"
          testId="traffic-chart"
        />
      )}
      <p className="small muted">
        Every request this endpoint answered since it last started, per {stats?.bucketSeconds ?? 2} s. Latency is
        measured inside the endpoint, from arrival to answer.
      </p>
    </section>
  );
}
