// The pipeline editor's toolbar (title, undo/redo, auto-layout, export, delete, save, run or cancel)
// and the run bar beneath it (the run on show: its state, step counts, version and duration).
import type { ReactNode } from 'react';
import type { PipelineRun } from '../../../../shared/api.js';
import { formatDuration } from '../../lib/format.js';
import { canRedo, canUndo, type EditorAction, type EditorDoc } from './editor-state.js';
import { countsText, isOpen, RUN_LABELS, type countSteps } from './run-steps.js';

/** What the editor is busy with, if anything. */
export type Busy = 'saving' | 'starting' | 'cancelling';

export interface EditorToolbarProps {
  doc: EditorDoc;
  dispatch: (action: EditorAction) => void;
  dirty: boolean;
  busy: Busy | undefined;
  /** The run on show, if any. */
  run: PipelineRun | undefined;
  /** Why the pipeline cannot run now, if it cannot. */
  runBlocked: string | undefined;
  /** The run on show ran another version than the canvas shows. */
  stale: boolean;
  /** Its steps by state, as they stand. */
  liveCounts: ReturnType<typeof countSteps>;
  onAutoLayout: () => void;
  onExport: () => void;
  onDelete: () => void;
  onSave: () => void;
  onStart: () => void;
  onCancel: () => void;
}

/** The toolbar and run bar. */
export function EditorToolbar(props: EditorToolbarProps) {
  const { doc, dispatch, dirty, busy, run, runBlocked, stale, liveCounts } = props;
  const { onAutoLayout, onExport, onDelete, onSave, onStart, onCancel } = props;
  const running = run ? isOpen(run.status) : false;
  return (
    <>
      <div className="pl-toolbar">
        <div className="pl-title">
          <h1 className="ellipsis" data-testid="pipeline-title">
            {doc.head.name || 'Untitled'}
          </h1>
          {doc.baseVersion !== undefined && <span className="tag">v{doc.baseVersion}</span>}
          {dirty && (
            <span className="unsaved" data-testid="unsaved" title="The canvas differs from the saved version">
              ● {doc.pipelineId ? 'Unsaved changes' : 'Not saved yet'}
            </span>
          )}
        </div>
        <div className="pl-actions">
          <ToolButton
            title="Undo (Ctrl+Z)"
            onClick={() => dispatch({ type: 'undo' })}
            disabled={!canUndo(doc)}
            testId="undo"
          >
            ↶ Undo
          </ToolButton>
          <ToolButton
            title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
            onClick={() => dispatch({ type: 'redo' })}
            disabled={!canRedo(doc)}
            testId="redo"
          >
            ↷ Redo
          </ToolButton>
          <span className="pl-sep" />
          <ToolButton
            title="Arrange the steps left to right along their edges"
            onClick={onAutoLayout}
            disabled={doc.nodes.length === 0}
            testId="auto-layout"
          >
            Auto-layout
          </ToolButton>
          <ToolButton title="Download the pipeline file as shown (JSON)" onClick={onExport} testId="export">
            Export
          </ToolButton>
          {doc.pipelineId && (
            <button
              type="button"
              className="btn btn-small btn-danger-ghost"
              onClick={onDelete}
              data-testid="delete-pipeline"
            >
              Delete…
            </button>
          )}
          <span className="pl-sep" />
          <button
            type="button"
            className="btn"
            onClick={onSave}
            disabled={!dirty || busy !== undefined}
            title="Save as a new version (Ctrl+S)"
            data-testid="save"
          >
            {busy === 'saving' ? 'Saving…' : 'Save'}
          </button>
          {running ? (
            <button
              type="button"
              className="btn btn-danger"
              onClick={onCancel}
              disabled={busy === 'cancelling'}
              data-testid="cancel-run"
            >
              {busy === 'cancelling' ? 'Cancelling…' : 'Cancel run'}
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-primary"
              onClick={onStart}
              disabled={runBlocked !== undefined || busy !== undefined}
              title={runBlocked ?? (dirty ? 'Save a new version and run it' : 'Run this version')}
              data-testid="run"
            >
              ▶ {busy === 'starting' ? 'Starting…' : dirty ? 'Save & run' : 'Run'}
            </button>
          )}
        </div>
      </div>
      <div className="pl-runbar" data-testid="run-bar" data-status={run?.status ?? ''}>
        {runBlocked && !running ? (
          <button
            type="button"
            className="btn-link warn"
            onClick={() => dispatch({ type: 'select', ids: [] })}
            data-testid="run-blocked"
          >
            ⚠ {runBlocked}
          </button>
        ) : null}
        {run ? (
          <span className="runbar-run">
            <span className={`run-status run-status-${run.status}`} data-testid="run-status">
              {isOpen(run.status) && <span className="spinner" aria-hidden="true" />}
              {RUN_LABELS[run.status]}
            </span>
            <span className="small">{countsText(liveCounts)}</span>
            <span className="small muted">
              run of v{run.version}
              {run.startedAt && run.finishedAt
                ? ` · ${formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))}`
                : ''}
              {stale ? ' · the canvas has changed since' : ''}
            </span>
            {run.error && <span className="small warn ellipsis">{run.error.message}</span>}
          </span>
        ) : (
          !runBlocked && <span className="small muted">{doc.pipelineId ? 'Not run yet.' : 'Save to run.'}</span>
        )}
      </div>
    </>
  );
}

/** One of the toolbar's small plain buttons, whose title says what it does and its shortcut. */
function ToolButton({
  title,
  onClick,
  disabled,
  testId,
  children,
}: {
  title: string;
  onClick: () => void;
  disabled?: boolean;
  testId: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={onClick}
      disabled={disabled}
      title={title}
      data-testid={testId}
    >
      {children}
    </button>
  );
}
