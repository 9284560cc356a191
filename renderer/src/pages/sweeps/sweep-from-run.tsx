// A run page's "Sweep…": the Sweep dialog over the run's dataset version, pre-filled with its
// target and model kind; and, for a run that is a trial, the way back to its sweep.
import { useState } from 'react';
import type { DatasetDetail, Run } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { navigate } from '../../lib/hash-route.js';
import { useAction } from '../../lib/use-action.js';
import { shortId } from '../runs/runs-query.js';
import { SweepDialog } from './sweep-dialog.js';

export function RunSweepActions({ run }: { run: Run }) {
  const { client } = useApp();
  const [detail, setDetail] = useState<DatasetDetail | undefined>(undefined);
  const { busy: loading, error, run: load } = useAction();
  const open = () =>
    load(() => client.call('datasets.get', { ref: run.datasetId, version: run.datasetVersion }), setDetail);
  return (
    <>
      {run.sweepId && (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => navigate({ page: 'sweeps', sweepId: run.sweepId! })}
          data-testid="run-sweep-link"
        >
          Trial of sweep {shortId(run.sweepId)}
        </button>
      )}
      <button
        type="button"
        className="btn"
        onClick={open}
        disabled={loading || run.modelKind === 'auto'}
        title={run.modelKind === 'auto' ? 'Sweep once the automatic run has chosen its model' : undefined}
        data-testid="run-sweep-open"
      >
        Sweep…
      </button>
      {error && <ErrorPanel title="Could not open the run's dataset" error={error} />}
      {detail && run.modelKind !== 'auto' && (
        <SweepDialog
          detail={detail}
          initial={{ target: run.target, model: run.modelKind }}
          onClose={() => setDetail(undefined)}
          onStarted={(sweepId) => navigate({ page: 'sweeps', sweepId })}
        />
      )}
    </>
  );
}
