// The side panel when no single step is selected: the pipeline's name and description (renaming
// is editing the name and saving), every problem in the file (each one selects its step), the
// saved versions (open an older one to look at, run or restore it) and the runs (show one).
import type { PipelineRunSummary, PipelineVersionInfo } from '../../../../shared/api.js';
import type { PipelineIssue } from '../../../../shared/pipeline.js';
import { formatDate } from '../../lib/format.js';
import type { SpecHead } from './flow-graph.js';
import { countsText, RUN_LABELS } from './run-steps.js';

interface PipelinePanelProps {
  head: SpecHead;
  issues: readonly PipelineIssue[];
  versions: PipelineVersionInfo[] | undefined;
  /** The version the canvas started from. */
  baseVersion: number | undefined;
  runs: PipelineRunSummary[] | undefined;
  shownRunId: string | undefined;
  onHead: (head: SpecHead, group: string) => void;
  onSelectNode: (id: string) => void;
  onOpenVersion: (version: number) => void;
  onShowRun: (runId: string) => void;
}

export function PipelinePanel({
  head,
  issues,
  versions,
  baseVersion,
  runs,
  shownRunId,
  onHead,
  onSelectNode,
  onOpenVersion,
  onShowRun,
}: PipelinePanelProps) {
  const nameIssue = issues.find((i) => !i.nodeId && !i.edgeId && i.field === 'name');
  return (
    <div className="pipeline-panel" data-testid="pipeline-panel">
      <section className="pl-section">
        <div className={`param-field${nameIssue ? ' invalid' : ''}`}>
          <label className="param-label" htmlFor="pipeline-name">
            Name
          </label>
          <input
            id="pipeline-name"
            value={head.name}
            onChange={(e) => onHead({ ...head, name: e.target.value }, 'name')}
            data-testid="pipeline-name"
            maxLength={200}
          />
          {nameIssue && <p className="param-error">{nameIssue.message}</p>}
          <p className="param-help">Renaming takes effect when you save.</p>
        </div>
        <div className="param-field">
          <label className="param-label" htmlFor="pipeline-description">
            Description
          </label>
          <textarea
            id="pipeline-description"
            rows={2}
            value={head.description ?? ''}
            onChange={(e) => {
              const { description: _d, ...rest } = head;
              onHead(e.target.value ? { ...rest, description: e.target.value } : rest, 'description');
            }}
          />
        </div>
      </section>

      <section className="pl-section" data-testid="pipeline-issues">
        <h3>Problems</h3>
        {issues.length === 0 ? (
          <p className="small ok-note">None: the pipeline can run.</p>
        ) : (
          <ul className="issue-list">
            {issues.map((i, n) => (
              <li key={n}>
                {i.nodeId ? (
                  <button type="button" className="btn-link mono" onClick={() => onSelectNode(i.nodeId as string)}>
                    {i.nodeId}
                  </button>
                ) : (
                  <span className="mono">{i.edgeId ?? i.field ?? 'pipeline'}</span>
                )}
                {i.field && i.nodeId ? <span className="mono muted"> {i.field}</span> : null} {i.message}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="pl-section">
        <h3>Runs</h3>
        {!runs ? (
          <p className="small muted">Loading…</p>
        ) : runs.length === 0 ? (
          <p className="small muted">Not run yet.</p>
        ) : (
          <ul className="history-list" data-testid="run-history">
            {runs.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className={r.id === shownRunId ? 'active' : ''}
                  onClick={() => onShowRun(r.id)}
                  data-testid="run-history-item"
                  data-status={r.status}
                >
                  <span className="history-line">
                    <span className={`run-status run-status-${r.status}`}>{RUN_LABELS[r.status]}</span>
                    <span className="small muted">v{r.version}</span>
                    <span className="small muted history-when">{formatDate(r.createdAt)}</span>
                  </span>
                  <span className="small muted ellipsis">{countsText(r.counts) || '–'}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="pl-section">
        <h3>Versions</h3>
        {!versions ? (
          <p className="small muted">Not saved yet.</p>
        ) : (
          <ul className="history-list" data-testid="version-history">
            {versions.map((v) => (
              <li key={v.version} data-testid="version-item" data-version={v.version}>
                <div className={`version-entry${v.version === baseVersion ? ' active' : ''}`}>
                  <span className="history-line">
                    <strong>v{v.version}</strong>
                    <span className="small muted">
                      {v.nodes} step{v.nodes === 1 ? '' : 's'}
                    </span>
                    <span className="small muted history-when">{formatDate(v.savedAt)}</span>
                  </span>
                  {v.message && <span className="small muted ellipsis">{v.message}</span>}
                  {v.version === baseVersion ? (
                    <span className="small muted">on the canvas</span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => onOpenVersion(v.version)}
                      data-testid="version-open"
                    >
                      Open v{v.version}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
