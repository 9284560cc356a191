// The ground-truth tab: label logged predictions by id, a few at a time in a small form or many
// from a CSV file (id,label), and see per row what was accepted, which ids are unknown and which
// rows were refused and why.
import { useState } from 'react';
import type { FeedbackResult, TaskName } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FileButton } from '../../components/file-button.js';
import { formatCount } from '../../lib/format.js';
import { batchItems, type FeedbackRow } from './feedback-form.js';
import { TableHead } from '../../components/table-head.js';

const EMPTY_ROWS = 3;
const SHOWN = 50;

interface Outcome {
  source: string;
  /** What `row` numbers: the form's rows or the file's lines (1 = header). */
  rowLabel: 'Row' | 'Line';
  rows?: number;
  result: FeedbackResult;
}

export function FeedbackPanel({
  model,
  task,
  classes,
}: {
  model: string;
  task: TaskName | null;
  classes: readonly string[];
}) {
  const { client } = useApp();
  const [rows, setRows] = useState<FeedbackRow[]>(() =>
    Array.from({ length: EMPTY_ROWS }, () => ({ id: '', label: '' })),
  );
  const [busy, setBusy] = useState<'form' | 'csv' | undefined>(undefined);
  const [error, setError] = useState<{ title: string; error: ApiError } | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const check = batchItems(rows, task);
  const datalistId = `feedback-classes-${model}`;

  const setRow = (i: number, patch: Partial<FeedbackRow>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const sendForm = () => {
    setBusy('form');
    setError(undefined);
    client.call('monitoring.feedback', { model, items: check.items }).then(
      (answer) => {
        // The engine numbers refused items by their index in the batch; the form by its rows.
        const result = {
          ...answer,
          invalid: answer.invalid.map((p) => ({ ...p, row: check.itemRows[p.row] ?? p.row + 1 })),
        };
        setOutcome({
          source: `${check.items.length} label${check.items.length === 1 ? '' : 's'} from the form`,
          rowLabel: 'Row',
          result,
        });
        // Accepted rows are done; unknown ids and refused labels stay in the form to be corrected.
        const refused = new Set([...result.unknown, ...result.invalid.flatMap((p) => (p.id === null ? [] : [p.id]))]);
        setRows((rs) => {
          const kept = rs.filter((r) => refused.has(r.id.trim()));
          return [
            ...kept,
            ...Array.from({ length: Math.max(1, EMPTY_ROWS - kept.length) }, () => ({ id: '', label: '' })),
          ];
        });
        setBusy(undefined);
      },
      (err: unknown) => {
        setError({ title: 'Could not send the labels', error: toApiError(err) });
        setBusy(undefined);
      },
    );
  };

  const uploadCsv = (file: File) => {
    setBusy('csv');
    setError(undefined);
    file
      .text()
      .then((csv) => client.call('monitoring.feedbackCsv', { model, csv }))
      .then(
        (r) => {
          const { rows: count, ...result } = r;
          setOutcome({ source: file.name, rows: count, rowLabel: 'Line', result });
          setBusy(undefined);
        },
        (err: unknown) => {
          setError({ title: `Could not read ${file.name}`, error: toApiError(err) });
          setBusy(undefined);
        },
      );
  };

  return (
    <div className="feedback-panel" data-testid="feedback-panel">
      <p className="small muted feedback-intro">
        Every prediction an endpoint answers carries an <code>id</code>. Send the true{' '}
        {task === 'regression' ? 'value' : 'class'} for it here, or from your own systems with{' '}
        <code>POST /v1/models/{model}/feedback</code>; live {task === 'regression' ? 'MAE' : 'accuracy'} is measured on
        the predictions that have one.
      </p>
      <div className="feedback-columns">
        <section className="panel" data-testid="feedback-form">
          <div className="panel-head">
            <h2 className="panel-title">Label predictions</h2>
          </div>
          <table className="feedback-rows">
            <TableHead
              columns={[
                'Prediction id',
                task === 'regression' ? 'True value' : 'True class',
                { label: '', ariaLabel: 'Remove' },
              ]}
            />
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>
                    <input
                      className="mono"
                      value={r.id}
                      placeholder="e.g. 01JD3K…"
                      onChange={(e) => setRow(i, { id: e.target.value })}
                      aria-label={`Prediction id, row ${i + 1}`}
                      data-testid="feedback-id"
                    />
                  </td>
                  <td>
                    <input
                      value={r.label}
                      list={task === 'regression' ? undefined : datalistId}
                      inputMode={task === 'regression' ? 'decimal' : undefined}
                      placeholder={task === 'regression' ? 'e.g. 151.2' : (classes[0] ?? 'class')}
                      onChange={(e) => setRow(i, { label: e.target.value })}
                      aria-label={`Label, row ${i + 1}`}
                      data-testid="feedback-label"
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      aria-label={`Remove row ${i + 1}`}
                      onClick={() =>
                        setRows((rs) => (rs.length > 1 ? rs.filter((_, j) => j !== i) : [{ id: '', label: '' }]))
                      }
                    >
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <datalist id={datalistId}>
            {classes.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          {check.problems.length > 0 && (
            <ul className="form-problems small" data-testid="feedback-problems">
              {check.problems.map((p) => (
                <li key={p.row}>
                  Row {p.row}: {p.message}
                </li>
              ))}
            </ul>
          )}
          <div className="feedback-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setRows((rs) => [...rs, { id: '', label: '' }])}
            >
              + Row
            </button>
            <span className="status-spacer" />
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy !== undefined || check.items.length === 0 || check.problems.length > 0}
              onClick={sendForm}
              data-testid="feedback-send"
            >
              {busy === 'form'
                ? 'Sending…'
                : `Send ${check.items.length || ''} label${check.items.length === 1 ? '' : 's'}`}
            </button>
          </div>
        </section>
        <section className="panel" data-testid="feedback-csv">
          <div className="panel-head">
            <h2 className="panel-title">Upload a CSV</h2>
          </div>
          <p className="small">
            A header row naming <code>id</code> and <code>label</code> columns, then one prediction per line; other
            columns are ignored.
          </p>
          <pre className="console-json feedback-example">{`id,label\n${exampleLine(task, classes, 1)}\n${exampleLine(task, classes, 2)}`}</pre>
          <FileButton
            onFiles={([file]) => {
              if (file) uploadCsv(file);
            }}
            primary={false}
            label={busy === 'csv' ? 'Uploading…' : 'Choose CSV file…'}
            accept=".csv,.txt,text/csv"
            multiple={false}
            inputLabel="Choose a CSV file of prediction ids and labels"
            disabled={busy !== undefined}
            buttonTestId="feedback-csv-button"
            inputTestId="feedback-csv-input"
          />
        </section>
      </div>
      {error && <ErrorPanel title={error.title} error={error.error} />}
      {outcome && <FeedbackOutcome outcome={outcome} />}
    </div>
  );
}

function exampleLine(task: TaskName | null, classes: readonly string[], n: number): string {
  const id = `01JD3K8Q2V7N4X${n}`;
  return `${id},${task === 'regression' ? (140 + n * 7.5).toFixed(1) : (classes[(n - 1) % Math.max(1, classes.length)] ?? 'yes')}`;
}

function FeedbackOutcome({ outcome }: { outcome: Outcome }) {
  const { result } = outcome;
  const total = outcome.rows ?? result.accepted + result.unknown.length + result.invalid.length;
  const clean = result.unknown.length === 0 && result.invalid.length === 0;
  return (
    <section
      className={`panel feedback-outcome${clean ? '' : ' has-problems'}`}
      data-testid="feedback-result"
      data-accepted={result.accepted}
    >
      <div className="panel-head">
        <h2 className="panel-title">Result: {outcome.source}</h2>
      </div>
      <div className="feedback-counts">
        <span className="count-chip ok" data-testid="feedback-accepted">
          <strong>{formatCount(result.accepted)}</strong> accepted
        </span>
        <span className={`count-chip${result.unknown.length ? ' warn' : ''}`} data-testid="feedback-unknown">
          <strong>{formatCount(result.unknown.length)}</strong> unknown id{result.unknown.length === 1 ? '' : 's'}
        </span>
        <span className={`count-chip${result.invalid.length ? ' bad' : ''}`} data-testid="feedback-invalid">
          <strong>{formatCount(result.invalid.length)}</strong> invalid
        </span>
        <span className="small muted">
          of {formatCount(total)} row{total === 1 ? '' : 's'}
        </span>
      </div>
      {(result.unknown.length > 0 || result.invalid.length > 0) && (
        <table className="versions-table feedback-issues" data-testid="feedback-issues">
          <TableHead columns={[outcome.rowLabel, 'Prediction id', 'Problem']} />
          <tbody>
            {result.invalid.slice(0, SHOWN).map((p) => (
              <tr key={`i${p.row}`} className="issue-invalid" data-testid="feedback-issue" data-kind="invalid">
                <td className="num">{p.row}</td>
                <td className="mono">{p.id ?? '—'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
            {result.unknown.slice(0, SHOWN).map((id) => (
              <tr key={`u${id}`} className="issue-unknown" data-testid="feedback-issue" data-kind="unknown">
                <td className="num">—</td>
                <td className="mono">{id}</td>
                <td>no logged prediction of this model has this id</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(result.invalid.length > SHOWN || result.unknown.length > SHOWN) && (
        <p className="small muted">The first {SHOWN} of each kind are shown.</p>
      )}
    </section>
  );
}
