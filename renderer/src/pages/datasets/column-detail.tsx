// The focused column in full: its type (correctable), counts, statistics, quantiles and a chart
// of its distribution.
import { useMemo } from 'react';
import type { ColumnProfile, ColumnType } from '../../../../shared/api.js';
import { Chart } from '../../components/chart.js';
import { formatCount, formatPercent, formatStat } from '../../lib/format.js';
import { histogramOption, topValuesOption } from './profile-charts.js';
import { describeInvalid, invalidCount } from './type-change.js';
import { TypeSelect } from './type-select.js';

interface ColumnDetailProps {
  column: ColumnProfile;
  rows: number;
  pending: boolean;
  onType: (t: ColumnType) => void;
}

export function ColumnDetail({ column: c, rows, pending, onType }: ColumnDetailProps) {
  const histogram = useMemo(
    () => (c.histogram && c.histogram.length > 0 ? histogramOption(c.histogram) : undefined),
    [c.histogram],
  );
  const top = useMemo(
    () => (!histogram && c.topValues && c.topValues.length > 0 ? topValuesOption(c.topValues) : undefined),
    [histogram, c.topValues],
  );
  const stats: Array<[string, string, string?]> = [
    ['Missing', `${formatCount(c.missing)} (${formatPercent(c.missing, rows)})`, c.missing > 0 ? 'warn' : undefined],
    ['Distinct', `${c.distinctApprox ? '≈' : ''}${formatCount(c.distinct)}`],
  ];
  if (c.nonFinite > 0) stats.push(['Non-finite', formatCount(c.nonFinite), 'warn']);
  if (c.min !== undefined) stats.push(['Min', formatStat(c.min)]);
  if (c.max !== undefined) stats.push(['Max', formatStat(c.max)]);
  if (c.mean !== undefined) stats.push(['Mean', formatStat(c.mean)]);
  if (c.std !== undefined) stats.push(['Std', formatStat(c.std)]);

  return (
    <div className="column-detail" data-testid="column-detail" data-column={c.name} data-type={c.type}>
      <div className="column-detail-head">
        <h2 className="ellipsis" title={c.name}>
          {c.name}
        </h2>
        <TypeSelect column={c.name} value={c.type} inferred={c.inferredType} disabled={pending} onChange={onType} />
      </div>
      <div className="muted small">
        {c.type === c.inferredType ? 'Inferred' : `Corrected from ${c.inferredType}`} · stored as{' '}
        <span className="mono">{c.storageType}</span>
        {pending && ' · updating…'}
      </div>
      {c.invalid > 0 && (
        <p className="invalid-note" role="status" data-testid="invalid-note">
          {describeInvalid(invalidCount(c, rows))} cannot be read as {c.type}: training treats them as missing.
          {c.type !== c.inferredType && ` Set the type back to ${c.inferredType} to use them.`}
        </p>
      )}
      <dl className="stats" data-testid="column-stats">
        {stats.map(([k, v, cls]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={cls} data-stat={k.toLowerCase()}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {c.quantiles && c.quantiles.length > 0 && (
        <table className="quantiles" aria-label="Quantiles">
          <thead>
            <tr>
              {c.quantiles.map((q) => (
                <th key={q.q}>{q.q === 0.5 ? 'median' : `p${Math.round(q.q * 100)}`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {c.quantiles.map((q) => (
                <td key={q.q}>{formatStat(q.value)}</td>
              ))}
            </tr>
          </tbody>
        </table>
      )}
      {histogram && <Chart option={histogram} height={150} label={`Histogram of ${c.name}`} testId="histogram" />}
      {top && (
        <Chart
          option={top}
          height={Math.min(15, c.topValues?.length ?? 0) * 18 + 16}
          label={`Top values of ${c.name}`}
          testId="top-values"
        />
      )}
      {!histogram && !top && <p className="muted small">No distribution to chart for this column.</p>}
    </div>
  );
}
