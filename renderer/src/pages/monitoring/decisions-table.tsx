// Every retrain decision, newest first: what triggered it, champion against challenger on the
// compared metric, promoted or kept and why; a promotion still in place rolls back in one click
// (after a confirmation), through the registry's alias rollback.
import { useState } from 'react';
import type { ModelDetail, RetrainDecision } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { formatDate, formatStat } from '../../lib/format.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { decisionScores, rollbackOffer, type RollbackOffer } from './decisions.js';
import { COMPARE_METRIC_LABELS } from './monitoring-format.js';
import { TableHead } from '../../components/table-head.js';

const TRIGGERS: Record<RetrainDecision['trigger'], string> = {
  manual: 'by hand',
  alert: 'alert',
  schedule: 'schedule',
  dataset: 'new dataset version',
};

interface DecisionsTableProps {
  model: string;
  decisions: RetrainDecision[];
  detail: ModelDetail | undefined;
  openRun: (runId: string) => void;
}

export function DecisionsTable({ model, decisions, detail, openRun }: DecisionsTableProps) {
  const [rollingBack, setRollingBack] = useState<{ decision: RetrainDecision; offer: RollbackOffer } | undefined>(
    undefined,
  );
  const history = detail?.aliasHistory ?? [];
  return (
    <>
      <table className="versions-table decisions-table" data-testid="decisions-table">
        <TableHead
          columns={[
            'When',
            'Trigger',
            'Outcome',
            'Metric',
            { label: 'Champion', num: true },
            { label: 'Challenger', num: true },
            { label: 'Gain', num: true },
            'Reason',
            '',
          ]}
        />
        <tbody>
          {decisions.map((d) => {
            const s = decisionScores(d);
            const offer = rollbackOffer(d, history);
            return (
              <tr key={d.id} className={`outcome-${d.outcome}`} data-testid="decision-row" data-outcome={d.outcome}>
                <td className="small">{formatDate(d.at)}</td>
                <td>
                  {TRIGGERS[d.trigger]}
                  {d.triggerDetail && <div className="small muted decision-detail">{d.triggerDetail}</div>}
                </td>
                <td>
                  <span className={`outcome-chip ${d.outcome}`} data-testid="decision-outcome">
                    {d.outcome === 'promoted'
                      ? `promoted → ${d.alias}`
                      : d.outcome === 'kept'
                        ? 'kept, not promoted'
                        : 'failed'}
                  </span>
                </td>
                <td>
                  {COMPARE_METRIC_LABELS[d.metric]}
                  <div className="small muted">margin {formatStat(d.margin)}</div>
                </td>
                <td className="num">
                  {d.champion ? (
                    <>
                      {formatStat(s.champion)}
                      <div className="small muted">v{d.champion.version}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="num">
                  {d.challenger ? (
                    <>
                      <strong>{formatStat(s.challenger)}</strong>
                      <div className="small muted">v{d.challenger.version}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className={`num ${s.gain === null ? '' : s.gain > d.margin ? 'gain-up' : 'gain-down'}`}>
                  {s.gain === null ? '—' : `${s.gain > 0 ? '+' : ''}${formatStat(s.gain)}`}
                </td>
                <td className="decision-reason">
                  {d.reason}
                  <div className="small muted">
                    {d.heldOutRows ? `${d.heldOutRows} held-out rows` : ''}
                    {d.labelledRowsAdded ? ` · ${d.labelledRowsAdded} labelled requests added` : ''}
                    {d.dataset ? ` · ${d.dataset.name} v${d.dataset.version}` : ''}
                  </div>
                </td>
                <td className="row-actions">
                  {d.runId && (
                    <button type="button" className="btn btn-small" onClick={() => openRun(d.runId!)}>
                      Run
                    </button>
                  )}
                  {offer && (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setRollingBack({ decision: d, offer })}
                      data-testid="decision-rollback"
                    >
                      Roll back
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rollingBack && (
        <RollbackDialog
          model={model}
          decision={rollingBack.decision}
          offer={rollingBack.offer}
          onClose={() => setRollingBack(undefined)}
        />
      )}
    </>
  );
}

function RollbackDialog({
  model,
  decision,
  offer,
  onClose,
}: {
  model: string;
  decision: RetrainDecision;
  offer: RollbackOffer;
  onClose: () => void;
}) {
  const { client } = useApp();
  const rollBack = () =>
    client.call('models.rollbackAlias', {
      name: model,
      alias: offer.alias,
      reason: `rollback of retrain decision #${decision.id} (monitoring page)`,
    });
  return (
    <ConfirmDialog
      title={`Roll back ${offer.alias}?`}
      testId="rollback-dialog"
      confirmLabel="Roll back"
      action={rollBack}
      onClose={onClose}
    >
      <p>
        {offer.to === null ? (
          <>
            <strong>{offer.alias}</strong> is removed from v{offer.from} (it pointed nowhere before this promotion).
          </>
        ) : (
          <>
            <strong>{offer.alias}</strong> moves from v{offer.from} back to v{offer.to}.
          </>
        )}{' '}
        Running endpoints that serve it switch at once. v{offer.from} stays in the registry, and the move is recorded in
        the alias history.
      </p>
    </ConfirmDialog>
  );
}
