// The headline figures over the chosen window: requests, error rate, latency percentiles, live
// quality next to the test split's figure, and the drift score with how many features drift.
import type { MonitoringOverview } from '../../../../shared/api.js';
import { formatCount, formatMs, formatPercentValue, formatStat } from '../../lib/format.js';
import { liveNote, liveTone } from './monitoring-format.js';

interface CardProps {
  label: string;
  value: string;
  note: string;
  tone?: 'warn' | 'bad' | 'ok';
  testId: string;
}

function Card({ label, value, note, tone, testId }: CardProps) {
  return (
    <div className={`metric-card monitor-card${tone ? ` tone-${tone}` : ''}`} data-testid={testId}>
      <span className="metric-label">{label}</span>
      <span className="metric-value" data-testid={`${testId}-value`}>
        {value}
      </span>
      <span className="metric-note">{note}</span>
    </div>
  );
}

export function HeadlineCards({ o }: { o: MonitoringOverview }) {
  const t = o.totals;
  const minutes = (o.to - o.from) / 60_000;
  const drift = o.drift;
  const driftNote =
    drift.score === null
      ? drift.reference === 'none'
        ? 'no training profile to compare with'
        : `too few live rows (${formatCount(drift.liveRows)} of ${formatCount(drift.minLiveRows)})`
      : drift.drifted.length
        ? `${drift.drifted.length} feature${drift.drifted.length === 1 ? '' : 's'} drifting: ${drift.drifted.slice(0, 2).join(', ')}${drift.drifted.length > 2 ? '…' : ''}`
        : `no feature over PSI ${formatStat(drift.thresholds.psi)}`;
  return (
    <div className="metric-cards monitor-cards" data-testid="monitor-cards">
      <Card
        label="Requests"
        value={formatCount(t.requests)}
        note={`${formatStat(Math.round((t.requests / minutes) * 100) / 100)} / min · ${formatCount(t.predictions)} prediction${t.predictions === 1 ? '' : 's'}`}
        testId="card-requests"
      />
      <Card
        label="Error rate"
        value={formatPercentValue(t.errorRate)}
        note={`${formatCount(t.errors)} error${t.errors === 1 ? '' : 's'} (status ≥ 400)`}
        tone={t.errorRate !== null && t.errorRate > 0.05 ? 'bad' : t.errors > 0 ? 'warn' : undefined}
        testId="card-error-rate"
      />
      <Card label="Latency p50" value={formatMs(t.p50)} note="answered requests" testId="card-p50" />
      <Card label="Latency p95" value={formatMs(t.p95)} note="answered requests" testId="card-p95" />
      <Card label="Latency p99" value={formatMs(t.p99)} note="answered requests" testId="card-p99" />
      <Card
        label={o.live.metric === 'accuracy' ? 'Live accuracy' : 'Live MAE'}
        value={o.live.metric === 'accuracy' ? formatPercentValue(o.live.value) : formatStat(o.live.value)}
        note={liveNote(o.live)}
        tone={liveTone(o.live)}
        testId="card-live"
      />
      <Card
        label="Drift score (max PSI)"
        value={formatStat(drift.score === null ? null : Math.round(drift.score * 1000) / 1000)}
        note={driftNote}
        tone={drift.drifted.length ? 'bad' : undefined}
        testId="card-drift"
      />
    </div>
  );
}
