// Why a run's model predicts what it does, from the explanation its run kept: which columns matter
// (shuffle a column, watch the test score drop; for trees also what their splits gained), one test
// row's contributions as a waterfall (the first rows, or the worst errors), and how the output
// moves with each top column (partial dependence over single rows' lines).
import { useMemo, useState } from 'react';
import { EXPLAIN_METHOD_LABEL, errorBoundText, type Explanation } from '../../../../shared/api.js';
import { Chart } from '../../components/chart.js';
import { formatStat } from '../../lib/format.js';
import { dependenceOption, importanceOption, waterfallOption } from './explain-charts.js';

const OUTPUT: Record<Explanation['output'], string> = {
  log_odds: 'log-odds',
  probability: 'probability',
  value: 'prediction',
};

export function RunExplanation({ explanation: e }: { explanation: Explanation }) {
  // The worst error first: where a person most wants to know why.
  const [picked, setPicked] = useState(e.worst[0] ?? 0);
  const row = e.rows[picked] ?? e.rows[0];
  const importance = useMemo(() => importanceOption(e.importance, e.metric), [e]);
  const gains = useMemo(
    () =>
      e.treeImportance
        ? importanceOption(
            e.treeImportance.map((t) => ({ feature: t.feature, mean: t.gain, std: 0 })),
            'loss (summed split gain)',
          )
        : undefined,
    [e],
  );
  const outputLabel = row?.explainedClass != null ? `${OUTPUT[e.output]} of ${row.explainedClass}` : OUTPUT[e.output];
  const waterfall = useMemo(() => (row ? waterfallOption(row, outputLabel) : undefined), [row, outputLabel]);
  const worst = new Set(e.worst);
  const barHeight = (n: number) => 48 + n * 26;
  const bound = errorBoundText(e.errorBound, formatStat);

  return (
    <section className="run-section" aria-label="Explanation" data-testid="explanation">
      <h2>Why it predicts what it does</h2>
      <div className="chart-row">
        <div className="chart-card">
          <h3>Feature importance</h3>
          <p className="muted small">
            How much {e.metric} drops on {e.importanceRows} test rows when a column&apos;s values are shuffled (mean ±
            spread over 5 shuffles).
          </p>
          <Chart
            option={importance}
            height={barHeight(e.importance.length)}
            label="Feature importance"
            testId="importance-chart"
          />
        </div>
        {gains && e.treeImportance && (
          <div className="chart-card">
            <h3>What the trees&apos; splits gained</h3>
            <p className="muted small">Loss removed by each column&apos;s splits, summed over the trees.</p>
            <Chart option={gains} height={barHeight(e.treeImportance.length)} label="Split gain" testId="gain-chart" />
          </div>
        )}
      </div>
      {row && waterfall && (
        <div className="chart-card">
          <h3>One prediction, column by column</h3>
          <label className="field explain-row-pick">
            <span className="field-label">Test row</span>
            <select
              value={picked}
              onChange={(ev) => setPicked(Number(ev.target.value))}
              data-testid="explain-row-select"
              aria-label="Test row to explain"
            >
              <optgroup label="Worst errors">
                {e.worst.map((i) => (
                  <option key={`w${i}`} value={i}>
                    {rowLabel(e, i)}
                  </option>
                ))}
              </optgroup>
              <optgroup label="First test rows">
                {e.rows.map((r, i) =>
                  worst.has(i) ? null : (
                    <option key={r.row} value={i}>
                      {rowLabel(e, i)}
                    </option>
                  ),
                )}
              </optgroup>
            </select>
          </label>
          <p className="muted small" data-testid="waterfall-caption">
            Base {formatStat(row.base)} + contributions = {formatStat(row.output)} ({outputLabel}),{' '}
            {EXPLAIN_METHOD_LABEL[e.method]}
            {bound}.
          </p>
          <Chart
            option={waterfall}
            height={barHeight(Object.keys(row.contributions).length + 2)}
            label="Contributions of one prediction"
            testId="waterfall-chart"
          />
        </div>
      )}
      {e.partialDependence.length > 0 && (
        <>
          <h3>How the output moves with each top column</h3>
          <div className="chart-row">
            {e.partialDependence.map((pd) => (
              <div className="chart-card" key={pd.feature}>
                <h3>
                  {pd.feature} <span className="muted small">· {pd.output}</span>
                </h3>
                <Chart
                  option={dependenceOption(pd)}
                  height={200}
                  label={`Partial dependence on ${pd.feature}`}
                  testId={`pd-${pd.feature}`}
                />
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function rowLabel(e: Explanation, i: number): string {
  const r = e.rows[i];
  if (!r) return '';
  const p = typeof r.prediction === 'number' ? formatStat(r.prediction) : r.prediction;
  const a = r.actual === null ? '' : `, actual ${typeof r.actual === 'number' ? formatStat(r.actual) : r.actual}`;
  return `Row ${r.row}: predicted ${p}${a}`;
}
