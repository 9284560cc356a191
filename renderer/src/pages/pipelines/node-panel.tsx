// The side panel for one selected step: its parameters (a form generated from the kind's field
// descriptors, with the issues that name each field), and its output in the run on show.
import type { PipelineStep } from '../../../../shared/api.js';
import { isNodeKind, nodeKinds, type PipelineIssue } from '../../../../shared/pipeline.js';
import type { StepNode } from './flow-graph.js';
import { ParamFieldView, type FieldContext } from './param-fields.js';
import { fieldValue, fieldVisible, otherIssues, withParam } from './param-form.js';
import { StateBadge } from './step-node.js';
import { StepOutputView } from './step-output.js';

export type NodeTab = 'params' | 'output';

interface NodePanelProps {
  node: StepNode;
  issues: readonly PipelineIssue[];
  ctx: FieldContext;
  step: PipelineStep | undefined;
  stale: boolean;
  tab: NodeTab;
  onTab: (tab: NodeTab) => void;
  onParams: (params: Record<string, unknown>, group: string | undefined) => void;
  onLabel: (label: string | undefined) => void;
  onOpenRun: (runId: string) => void;
}

export function NodePanel({
  node,
  issues,
  ctx,
  step,
  stale,
  tab,
  onTab,
  onParams,
  onLabel,
  onOpenRun,
}: NodePanelProps) {
  const kind = isNodeKind(node.data.kind) ? nodeKinds[node.data.kind] : undefined;
  const params = node.data.params;
  const fields = kind?.params ?? [];
  const shown = fields.filter((f) => fieldVisible(f, fields, params));
  const general = otherIssues(
    issues,
    shown.map((f) => f.name),
  );
  return (
    <div className="node-panel" data-testid="node-panel" data-node-id={node.id}>
      <header className="pl-panel-head">
        <div className="pl-panel-title">
          <h2>{node.data.label ?? kind?.label ?? node.data.kind}</h2>
          {step && <StateBadge step={step} />}
        </div>
        <p className="small muted">
          <span className="mono">{node.id}</span> ·{' '}
          {kind ? kind.description : `"${node.data.kind}" is not a node kind this version of Cairn knows`}
        </p>
      </header>
      <div className="pl-tabs" role="tablist">
        {(['params', 'output'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={tab === t ? 'active' : ''}
            onClick={() => onTab(t)}
            data-testid={`tab-${t}`}
          >
            {t === 'params' ? `Parameters${issues.length ? ` (${issues.length} ⚠)` : ''}` : 'Output'}
          </button>
        ))}
      </div>
      {tab === 'output' ? (
        <StepOutputView step={step} stale={stale} onOpenRun={onOpenRun} />
      ) : (
        <div className="param-form" data-testid="param-form">
          {general.length > 0 && (
            <ul className="pl-node-issues" data-testid="node-issues">
              {general.map((i, n) => (
                <li key={n}>
                  {i.port ? <strong>{i.port}: </strong> : i.field ? <strong>{i.field}: </strong> : null}
                  {i.message}
                </li>
              ))}
            </ul>
          )}
          <div className="param-field">
            <label className="param-label" htmlFor={`label-${node.id}`}>
              Label on the canvas
            </label>
            <input
              id={`label-${node.id}`}
              value={node.data.label ?? ''}
              placeholder={kind?.label}
              onChange={(e) => onLabel(e.target.value || undefined)}
              data-testid="param-label"
            />
          </div>
          {shown.map((f) => (
            <ParamFieldView
              key={f.name}
              field={f}
              value={fieldValue(f, params)}
              onChange={(v, typing) =>
                onParams(withParam(params, f.name, v), typing ? `param:${node.id}:${f.name}` : undefined)
              }
              issues={issues}
              ctx={ctx}
              testId={f.name}
              path={f.name}
              siblings={params}
            />
          ))}
        </div>
      )}
    </div>
  );
}
