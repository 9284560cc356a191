// The drift tab: every feature's PSI and (numeric ones) KS test of live inputs against the
// training data, most drifted first, drifting ones highlighted; the chosen feature's training and
// live distributions overlaid beside the table.
import { useMemo, useState } from 'react';
import type { DriftReport, FeatureDrift, MonitoringWindow } from '../../../../shared/api.js';
import { Chart } from '../../components/chart.js';
import { formatCount, formatStat } from '../../lib/format.js';
import { driftOverlayOption } from './monitoring-charts.js';
import { WINDOW_LABELS } from './monitoring-format.js';
import { TableHead } from '../../components/table-head.js';

const REFERENCE: Record<DriftReport['reference'], string> = {
  training_rows: 'training rows',
  card_profile: 'training profile from the model card (the dataset version is gone, so no KS test)',
  none: 'nothing: this version has no training profile',
};

/** A p-value for a table: small ones in e-notation, never a bare 0. */
export function formatPValue(p: number): string {
  if (p === 0) return '< 1e-300';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

export function DriftPanel({ drift, window }: { drift: DriftReport; window: MonitoringWindow }) {
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const feature = drift.features.find((f) => f.feature === chosen) ?? drift.features[0];
  const tooFew = drift.liveRows < drift.minLiveRows;

  return (
    <div className="drift-panel" data-testid="drift-panel" data-drifted={drift.drifted.length}>
      <p className="drift-summary" data-testid="drift-summary">
        {formatCount(drift.liveRows)} live input{drift.liveRows === 1 ? '' : 's'} from the last {WINDOW_LABELS[window]}{' '}
        compared with{' '}
        {drift.reference === 'training_rows'
          ? `${formatCount(drift.trainingRows)} training rows`
          : REFERENCE[drift.reference]}
        . A feature drifts when its PSI is over {formatStat(drift.thresholds.psi)} or its KS p-value is under{' '}
        {formatStat(drift.thresholds.ksPValue)}.{' '}
        {tooFew ? (
          <strong className="warn">
            Too few live inputs to judge drift: {formatCount(drift.liveRows)} of the {formatCount(drift.minLiveRows)}{' '}
            needed.
          </strong>
        ) : drift.drifted.length ? (
          <strong className="bad-text">
            {drift.drifted.length} of {drift.features.length} features drift.
          </strong>
        ) : (
          <strong className="ok-text">No feature drifts.</strong>
        )}
      </p>
      {drift.features.length === 0 ? (
        <p className="muted">This model reads no features the log can compare.</p>
      ) : (
        <div className="drift-columns">
          <table className="versions-table drift-table" data-testid="drift-table">
            <TableHead
              columns={[
                'Feature',
                { label: 'PSI', num: true },
                { label: 'KS statistic', num: true },
                { label: 'KS p-value', num: true },
                { label: 'Live rows', num: true },
                'Status',
              ]}
            />
            <tbody>
              {drift.features.map((f) => (
                <DriftRow
                  key={f.feature}
                  f={f}
                  selected={f.feature === feature?.feature}
                  onSelect={() => setChosen(f.feature)}
                />
              ))}
            </tbody>
          </table>
          {feature && <FeatureOverlay f={feature} />}
        </div>
      )}
    </div>
  );
}

function DriftRow({ f, selected, onSelect }: { f: FeatureDrift; selected: boolean; onSelect: () => void }) {
  return (
    <tr
      className={`${selected ? 'selected' : ''}${f.drifted ? ' drifted' : ''}`}
      onClick={onSelect}
      aria-selected={selected}
      data-testid="drift-row"
      data-feature={f.feature}
      data-drifted={f.drifted}
    >
      <td>
        <button type="button" className="btn-link drift-feature" onClick={onSelect}>
          {f.feature}
        </button>
        <span className="small muted drift-kind"> {f.kind}</span>
      </td>
      <td className="num" data-testid="drift-psi">
        {f.psi === null ? '—' : f.psi.toFixed(3)}
      </td>
      <td className="num">{f.ks ? f.ks.statistic.toFixed(3) : '—'}</td>
      <td className="num">{f.ks ? formatPValue(f.ks.pValue) : '—'}</td>
      <td className="num">
        {formatCount(f.liveCount)}
        {f.liveMissing ? <div className="small warn">+{formatCount(f.liveMissing)} missing</div> : null}
      </td>
      <td>
        {f.drifted ? (
          <span className="drift-badge" title={f.reasons.join('; ')} data-testid="drift-badge">
            Drifted
          </span>
        ) : (
          <span className="small muted">{f.psi === null ? 'no live values' : 'stable'}</span>
        )}
      </td>
    </tr>
  );
}

function FeatureOverlay({ f }: { f: FeatureDrift }) {
  const option = useMemo(() => driftOverlayOption(f), [f]);
  return (
    <section className="chart-card drift-overlay" data-testid="drift-overlay" data-feature={f.feature}>
      <h3>
        {f.feature}: training and live distributions
        {f.drifted && <span className="drift-badge">Drifted</span>}
      </h3>
      <p className="small muted drift-reasons">
        {f.drifted
          ? f.reasons.join(' · ')
          : `PSI ${f.psi === null ? '—' : f.psi.toFixed(3)}${f.ks ? ` · KS ${f.ks.statistic.toFixed(3)} (p ${formatPValue(f.ks.pValue)})` : ''}`}
      </p>
      {f.bins.length ? (
        <Chart
          option={option}
          height={260}
          label={`Training and live distributions of ${f.feature}`}
          testId="drift-chart"
        />
      ) : (
        <p className="muted small">No bins to draw for this feature.</p>
      )}
    </section>
  );
}
