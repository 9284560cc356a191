// The import tray: one card per import with its progress bar and Cancel while it runs, and its
// outcome after: what was created (or that nothing was), or the error with what to do next.
import { useApp, useImportTasks } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { ProgressBar } from '../../components/progress-bar.js';
import type { ImportResult } from '../../../../shared/api.js';
import type { ImportTask } from '../../imports/import-store.js';
import { describeProgress, formatBytes, formatCount } from '../../lib/format.js';

export function ImportTasks({ onOpen }: { onOpen: (datasetId: string, version: number) => void }) {
  const tasks = useImportTasks();
  const { imports } = useApp();
  if (tasks.length === 0) return null;
  const finished = tasks.filter((t) => t.state !== 'uploading' && t.state !== 'importing').length;
  return (
    <section className="import-tasks" aria-label="Imports" data-testid="import-tasks">
      {finished > 1 && (
        <div className="import-tasks-head">
          <span className="small muted">
            {finished} imports finished{tasks.some((t) => t.state === 'failed') ? ', some failed' : ''}
          </span>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => imports.dismissFinished()}
            data-testid="imports-dismiss-all"
          >
            Dismiss all
          </button>
        </div>
      )}
      {tasks.map((t) => (
        <ImportCard key={t.id} task={t} onOpen={onOpen} />
      ))}
    </section>
  );
}

function ImportCard({ task, onOpen }: { task: ImportTask; onOpen: (datasetId: string, version: number) => void }) {
  const { imports } = useApp();
  const running = task.state === 'uploading' || task.state === 'importing';
  const dismiss = (
    <button type="button" className="btn btn-small btn-ghost" onClick={() => imports.dismiss(task.id)}>
      Dismiss
    </button>
  );

  if (task.state === 'failed' && task.error) {
    return (
      <div className="import-card import-card-failed" data-testid="import-task" data-state={task.state}>
        <ErrorPanel title={`Could not import ${task.fileName}`} error={task.error}>
          {task.error.code === 'bad_rows' && (
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={() => imports.retrySkippingBadRows(task.id)}
            >
              Skip these rows and import
            </button>
          )}
          {dismiss}
        </ErrorPanel>
      </div>
    );
  }

  return (
    <div className={`import-card import-card-${task.state}`} data-testid="import-task" data-state={task.state}>
      <div className="import-head">
        <span className="import-file" title={task.fileName}>
          {task.fileName}
        </span>
        {task.badRows === 'skip' && <span className="tag">skipping bad rows</span>}
        <span className="import-spacer" />
        {running ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => imports.cancel(task.id)}
            data-testid="cancel-import"
          >
            Cancel
          </button>
        ) : (
          dismiss
        )}
      </div>
      {running && <RunningBody task={task} />}
      {task.state === 'cancelled' && <p className="import-outcome muted">Import cancelled; nothing was created.</p>}
      {task.state === 'succeeded' && task.result && (
        <p className="import-outcome" data-testid="import-outcome" data-created={String(task.result.created)}>
          {task.result.created ? (
            <>
              Imported <strong>{task.result.name}</strong> version {task.result.version}:{' '}
              {describeImported(task.result)}.
            </>
          ) : (
            <>
              No change: <strong>{task.result.name}</strong> version {task.result.version} already has this exact
              content, so nothing new was created.
            </>
          )}{' '}
          <button
            type="button"
            className="btn-link"
            onClick={() => task.result && onOpen(task.result.datasetId, task.result.version)}
          >
            Open
          </button>
        </p>
      )}
    </div>
  );
}

function RunningBody({ task }: { task: ImportTask }) {
  if (task.state === 'uploading') {
    const up = task.uploaded;
    return (
      <>
        <ProgressBar
          fraction={up && up.total > 0 ? up.sent / up.total : undefined}
          label={`Uploading ${task.fileName}`}
        />
        <div className="import-detail" data-testid="import-detail">
          Uploading{up ? ` · ${formatBytes(up.sent)} of ${formatBytes(up.total)}` : '…'}
        </div>
      </>
    );
  }
  const p = task.progress;
  return (
    <>
      <ProgressBar fraction={p?.fraction} label={`Importing ${task.fileName}`} />
      <div className="import-detail" data-testid="import-detail">
        {p ? describeProgress(p) : 'Starting…'}
      </div>
    </>
  );
}

/** What an import made: rows and columns of a table, pictures and classes of an image dataset. */
function describeImported(r: ImportResult): string {
  if (r.kind === 'images') {
    const classes = Object.keys(r.images?.classes ?? {}).length;
    const unreadable = r.images?.skipped.length ?? 0;
    return (
      `${formatCount(r.rows)} pictures in ${formatCount(classes)} ${classes === 1 ? 'class' : 'classes'}` +
      (unreadable > 0 ? `, ${formatCount(unreadable)} unreadable ${unreadable === 1 ? 'file' : 'files'} left out` : '')
    );
  }
  return (
    `${formatCount(r.rows)} rows, ${formatCount(r.columns.length)} columns` +
    (r.skippedRows > 0 ? `, ${formatCount(r.skippedRows)} malformed rows skipped` : '')
  );
}
