// Versions scored on the same rows. The versions table shows each version's metrics on its own
// run's test split, and a retrained version's split comes from newer data: those figures do not
// compare. A retrain decision scored champion and challenger on the same held-out rows; this shows
// those figures, so a promotion can be judged like for like.
import type { RetrainDecision } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { TableHead } from '../../components/table-head.js';
import { formatCount, formatDate, formatStat } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import type { KeyMetric } from './key-metrics.js';

/** The decisions shown: the newest few that scored both versions. */
const SHOWN = 5;

const OUTCOMES: Record<Exclude<RetrainDecision['outcome'], 'failed'>, string> = {
  promoted: 'challenger promoted',
  kept: 'champion kept',
};

export function HeldOutComparison({ model, metrics, tick }: { model: string; metrics: KeyMetric[]; tick: number }) {
  const { client } = useApp();
  const decisions = useAsync<RetrainDecision[]>(
    () => client.call('monitoring.decisions', { model, limit: 50 }),
    [client, model, tick],
  );
  if (decisions.error) return <ErrorPanel title="Could not read the retrain decisions" error={decisions.error} />;
  const scored = (decisions.data ?? []).filter((d) => d.outcome !== 'failed' && d.champion && d.challenger);
  if (scored.length === 0) return null;
  return (
    <section className="held-out-comparison" data-testid="held-out-comparison">
      <h2 className="panel-title">Compared on the same rows</h2>
      <p className="small muted">
        The table above scores each version on its own run&apos;s test split, and versions trained on different data
        have different splits. Each retrain scored champion and challenger on the same held-out rows:
      </p>
      <table className="versions-table">
        <TableHead
          columns={[
            'Retrain',
            { label: 'Held-out rows', num: true },
            'Version',
            ...metrics.map((m) => ({ label: m.label, num: true })),
          ]}
        />
        <tbody>
          {scored.slice(0, SHOWN).map((d) =>
            (['champion', 'challenger'] as const).map((role, i) => {
              const scores = d[role]!;
              return (
                <tr key={`${d.id}-${role}`} data-testid="held-out-row" data-decision={d.id} data-role={role}>
                  {i === 0 && (
                    <>
                      <td rowSpan={2} className="small">
                        {formatDate(d.at)}
                        <div className="muted">
                          {OUTCOMES[d.outcome as keyof typeof OUTCOMES]}
                          {d.dataset ? ` · ${d.dataset.name} v${d.dataset.version}` : ''}
                        </div>
                      </td>
                      <td rowSpan={2} className="num">
                        {formatCount(d.heldOutRows)}
                      </td>
                    </>
                  )}
                  <td>
                    v{scores.version} <span className="small muted">{role}</span>
                  </td>
                  {metrics.map((m) => (
                    <td key={m.key} className="num" data-metric={m.key}>
                      {formatStat(scores.metrics[m.key] ?? null)}
                    </td>
                  ))}
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </section>
  );
}
