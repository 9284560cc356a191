// A step on the canvas: its title and one-line summary, a typed handle per port (coloured by what
// flows through it, inputs left and outputs right), its state in the run on show (badge, spinner,
// progress), and, when the file is wrong about it, a red border with the reason.
import { Handle, Position, type NodeProps, type NodeTypes } from '@xyflow/react';
import { memo, useContext } from 'react';
import type { PipelineStep } from '../../../../shared/api.js';
import { isNodeKind, nodeKinds, portTypeLabels, type PortSpec } from '../../../../shared/pipeline.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { DecorationsContext } from './decorations.js';
import { portKey, type StepNode } from './flow-graph.js';
import { STEP_LABELS } from './run-steps.js';
import { stepSummary } from './step-summary.js';

/** A step's state as a small coloured badge (a spinner while it runs). */
export function StateBadge({ step }: { step: Pick<PipelineStep, 'state'> }) {
  return (
    <span className={`state-badge state-${step.state}`} data-testid="state-badge">
      {step.state === 'running' && <span className="spinner" aria-hidden="true" />}
      {STEP_LABELS[step.state]}
    </span>
  );
}

function PortHandle({ nodeId, port, side }: { nodeId: string; port: PortSpec; side: 'in' | 'out' }) {
  return (
    <Handle
      type={side === 'in' ? 'target' : 'source'}
      position={side === 'in' ? Position.Left : Position.Right}
      id={port.name}
      className={`port-handle port-${port.type}`}
      title={`${port.label}: a ${portTypeLabels[port.type]}${side === 'in' && port.required ? ' (required)' : ''}`}
      data-testid={`handle-${nodeId}-${side}-${port.name}`}
    />
  );
}

function StepNodeView({ id, data, selected }: NodeProps<StepNode>) {
  const { issues: allIssues, steps, splitPorts } = useContext(DecorationsContext);
  const issues = allIssues.get(id) ?? [];
  const step = steps.get(id);
  const kind = isNodeKind(data.kind) ? nodeKinds[data.kind] : undefined;
  // A table port that carries a split here is drawn as one.
  const asPlaced =
    (side: 'in' | 'out') =>
    (p: PortSpec): PortSpec =>
      splitPorts.has(portKey(id, side, p.name)) ? { ...p, type: 'split', label: 'Split' } : p;
  const inputs = (kind?.inputs ?? []).map(asPlaced('in'));
  const outputs = (kind?.outputs ?? []).map(asPlaced('out'));
  const rows = Math.max(inputs.length, outputs.length);
  const summary = stepSummary(data.kind, data.params);
  const classes = [
    'step-node',
    `cat-${kind?.category ?? 'unknown'}`,
    step ? `state-${step.state}` : '',
    issues.length ? 'invalid' : '',
    selected ? 'selected' : '',
  ];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid="step-node"
      data-node-id={id}
      data-kind={data.kind}
      data-state={step?.state ?? ''}
      data-invalid={issues.length > 0}
    >
      <div className="step-head">
        <span className="step-title ellipsis" title={kind?.description}>
          {data.label ?? kind?.label ?? data.kind}
        </span>
        {step && <StateBadge step={step} />}
      </div>
      <div className="step-id mono ellipsis">{id}</div>
      {summary && (
        <div className="step-summary ellipsis" title={summary}>
          {summary}
        </div>
      )}
      {rows > 0 && (
        <div className="step-ports">
          {Array.from({ length: rows }, (_, i) => {
            const inp = inputs[i];
            const out = outputs[i];
            return (
              <div className="port-row" key={i}>
                <div className="port port-in">
                  {inp && (
                    <>
                      <PortHandle nodeId={id} port={inp} side="in" />
                      <span className={`port-label port-text-${inp.type}`}>{inp.label}</span>
                    </>
                  )}
                </div>
                <div className="port port-out">
                  {out && (
                    <>
                      <span className={`port-label port-text-${out.type}`}>{out.label}</span>
                      <PortHandle nodeId={id} port={out} side="out" />
                    </>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      )}
      {step?.state === 'running' && step.progress && (
        <div className="step-progress">
          <ProgressBar fraction={step.progress.fraction} label={`${id} progress`} />
          <span className="small muted ellipsis">{step.progress.label}</span>
        </div>
      )}
      {issues.length > 0 && (
        <div className="step-note step-issue" data-testid="step-issue" title={issues.map((i) => i.message).join('\n')}>
          {issues[0]?.field ? <strong>{issues[0].field}: </strong> : null}
          {issues[0]?.message}
          {issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}
        </div>
      )}
      {step?.state === 'failed' && step.error && (
        <div className="step-note step-failed" data-testid="step-error" title={step.error.message}>
          {step.error.message}
        </div>
      )}
      {step?.state === 'skipped' && step.reason && (
        <div className="step-note step-skipped" title={step.reason}>
          {step.reason}
        </div>
      )}
    </div>
  );
}

/** The canvas's node types, at module scope so React Flow does not remount nodes on every render. */
export const nodeTypes: NodeTypes = { step: memo(StepNodeView) };
