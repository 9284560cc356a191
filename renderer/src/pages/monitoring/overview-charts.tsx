// The traffic tab: request and error rate, latency percentiles, what the model predicted over
// time, and live quality against the test split, each over the chosen window.
import { useMemo } from 'react';
import type { MonitoringOverview } from '../../../../shared/api.js';
import { Chart } from '../../components/chart.js';
import { formatCount } from '../../lib/format.js';
import { latencyOption, liveQualityOption, predictionsOption, rateOption } from './monitoring-charts.js';
import { WINDOW_LABELS } from './monitoring-format.js';
import type { ElsewherePage } from './monitoring-page.js';

const HEIGHT = 240;

export function OverviewCharts({
  o,
  onOpenPage,
  onFeedback,
}: {
  o: MonitoringOverview;
  onOpenPage: (page: ElsewherePage) => void;
  onFeedback: () => void;
}) {
  const rate = useMemo(() => rateOption(o), [o]);
  const latency = useMemo(() => latencyOption(o), [o]);
  const predictions = useMemo(() => predictionsOption(o.predictions, o), [o]);
  const live = useMemo(() => liveQualityOption(o.live, o), [o]);
  const bucket =
    o.bucketSeconds >= 3600
      ? `${o.bucketSeconds / 3600} h`
      : o.bucketSeconds >= 60
        ? `${o.bucketSeconds / 60} min`
        : `${o.bucketSeconds} s`;

  if (o.totals.requests === 0) {
    return (
      <div className="monitor-empty" data-testid="monitor-no-traffic">
        <p>
          <strong>No traffic in the last {WINDOW_LABELS[o.window]}.</strong> Start an endpoint for{' '}
          <code>{o.model}</code> on the Endpoints page and send it predictions; requests, latency and what it predicts
          show here as they arrive. A longer window may show older traffic.
        </p>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => onOpenPage('endpoints')}
          data-testid="go-endpoints"
        >
          Go to Endpoints
        </button>
      </div>
    );
  }
  return (
    <div className="monitor-charts">
      <div className="chart-row">
        <section className="chart-card" data-testid="chart-card-rate">
          <h3>Request rate and errors</h3>
          <Chart
            option={rate}
            height={HEIGHT}
            label="Requests per minute and error rate over time"
            testId="chart-rate"
          />
        </section>
        <section className="chart-card" data-testid="chart-card-latency">
          <h3>Latency</h3>
          <Chart
            option={latency}
            height={HEIGHT}
            label="Latency percentiles p50, p95 and p99 over time"
            testId="chart-latency"
          />
        </section>
      </div>
      <div className="chart-row">
        <section className="chart-card" data-testid="chart-card-predictions">
          <h3>
            {o.predictions.kind === 'classes'
              ? 'Predicted classes (share of each bucket)'
              : 'Predicted values (histogram per bucket)'}
          </h3>
          {o.predictions.labels.length ? (
            <Chart
              option={predictions}
              height={HEIGHT}
              label="Distribution of predictions over time"
              testId="chart-predictions"
            />
          ) : (
            <p className="muted small chart-empty">No answered predictions in this window.</p>
          )}
        </section>
        <section className="chart-card" data-testid="chart-card-live">
          <h3>{o.live.metric === 'accuracy' ? 'Live accuracy' : 'Live MAE'} against the test split</h3>
          {o.live.labelled ? (
            <Chart
              option={live}
              height={HEIGHT}
              label="Live quality over time with the test split's figure"
              testId="chart-live"
            />
          ) : (
            <div className="chart-empty">
              <p className="muted small">
                No ground truth yet for predictions in this window. Send labels with{' '}
                <code>POST /v1/models/{o.model}/feedback</code> or on the Ground truth tab.
              </p>
              <button type="button" className="btn btn-small" onClick={onFeedback}>
                Add ground truth
              </button>
            </div>
          )}
        </section>
      </div>
      <p className="small muted">
        From the request log: {formatCount(o.totals.requests)} request{o.totals.requests === 1 ? '' : 's'} in {bucket}{' '}
        buckets. Latency is measured inside the endpoint, from arrival to answer, over answered requests.
      </p>
    </div>
  );
}
