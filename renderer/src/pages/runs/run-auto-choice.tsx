// An automatic run's leaderboard: each candidate kind with its validation scores, training time and
// a bar of the score compared, the kept one marked, and the engine's sentence saying why it won.
// The test split scores only the winner, so the table shows validation scores alone.
import type { AutoChoice } from '../../../../shared/api.js';
import { lowerIsBetter } from '../../../../shared/metrics.js';
import { modelKindLabel } from '../../../../shared/training-settings.js';
import { TableHead } from '../../components/table-head.js';
import { formatDuration, formatStat } from '../../lib/format.js';
import { METRIC_LABELS } from './run-compare-data.js';

/** A bar's share of its cell: the score over the largest one, so lengths compare at a glance. */
function barShare(value: number | null, largest: number): number {
  return value === null || largest <= 0 ? 0 : Math.max(0, Math.min(1, value / largest));
}

export function RunAutoChoice({ auto }: { auto: AutoChoice }) {
  const keys = Object.keys(auto.candidates[0]?.validation ?? {});
  const compared = auto.candidates.map((c) => c.validation[auto.metric] ?? null);
  const largest = Math.max(0, ...compared.map((v) => v ?? 0));
  return (
    <section className="run-section" aria-label="Automatic model choice" data-testid="auto-choice">
      <h2>Automatic model choice</h2>
      <p className="auto-reason" data-testid="auto-reason">
        {auto.reason}
      </p>
      <table className="auto-table">
        <TableHead
          columns={[
            'Model',
            ...keys.map((k) => ({ label: `validation ${METRIC_LABELS[k] ?? k}`, num: true })),
            {
              label: `${METRIC_LABELS[auto.metric] ?? auto.metric} compared${lowerIsBetter(auto.metric) ? ' (lower is better)' : ''}`,
            },
            { label: 'Time', num: true },
          ]}
        />
        <tbody>
          {auto.candidates.map((c, i) => {
            const chosen = c.model === auto.chosen;
            return (
              <tr
                key={c.model}
                className={chosen ? 'auto-chosen' : undefined}
                data-testid={`auto-candidate-${c.model}`}
              >
                <td>
                  {modelKindLabel(c.model)}
                  {chosen && <span className="tag auto-kept">kept</span>}
                </td>
                {keys.map((k) => {
                  const v = c.validation[k];
                  return (
                    <td className="num" key={k}>
                      {typeof v === 'number' ? formatStat(v) : '–'}
                    </td>
                  );
                })}
                <td className="auto-bar-cell" aria-hidden="true">
                  <span className="auto-bar" style={{ width: `${barShare(compared[i] ?? null, largest) * 100}%` }} />
                </td>
                <td className="num">{formatDuration(c.seconds * 1000)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">
        Each candidate trained on the same training rows with a short budget, stopping early on the validation split;
        only the kept model is scored on the test split below.
      </p>
    </section>
  );
}
