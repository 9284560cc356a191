// The editor for one pipeline: a toolbar (undo/redo, auto-layout, export, save, run/cancel), the
// palette, the React Flow canvas (typed handles, refused connections explained in a toast,
// minimap, zoom controls), and the side panel (the selected step's parameters and output, or the
// pipeline's problems, runs and versions). The file is validated as it is drawn; the run on show
// colours each step by its state.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  type FinalConnectionState,
  type Node,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type RefObject } from 'react';
import type { PipelineDetail, PipelineStep } from '../../../../shared/api.js';
import { isNodeKind, nodeKinds, type StepOutput } from '../../../../shared/pipeline.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { useAsync } from '../../lib/use-async.js';
import { layoutLeftToRight } from './auto-layout.js';
import { MAX_FIT_ZOOM, readableRowWidth, readableViewport } from './readable-fit.js';
import { DecorationsContext, issuesByNode, type Decorations } from './decorations.js';
import { currentSpec, isDirty, type EditorAction, type EditorDoc } from './editor-state.js';
import {
  connectionProblem,
  portKey,
  splitPorts,
  copySelection,
  type Clipboard,
  type ConnectionAttempt,
  type StepNode,
} from './flow-graph.js';
import { inputColumns } from './node-columns.js';
import { NodePanel, type NodeTab } from './node-panel.js';
import { Palette, STEP_MIME } from './palette.js';
import { PipelinePanel } from './pipeline-panel.js';
import { countSteps } from './run-steps.js';
import { nodeTypes } from './step-node.js';
import { editorKeys } from './editor-keys.js';
import { EditorToolbar, type Busy } from './editor-toolbar.js';
import { useDatasetColumns } from './use-dataset-columns.js';
import { suggestionsFor } from './step-suggestions.js';
import { useSources } from '../sources/use-sources.js';
import { usePipelineCheck } from './use-pipeline-check.js';
import { usePipelineRuns } from './use-pipeline-runs.js';

/** The clipboard the page shares between its pipelines, and how many times it was pasted (each paste lands further along). */
export interface ClipboardSlot {
  clip: Clipboard;
  pastes: number;
}

export interface PipelineEditorProps {
  doc: EditorDoc;
  dispatch: (action: EditorAction) => void;
  clipboard: RefObject<ClipboardSlot | null>;
  /** The working copy was saved (a draft now has an id). */
  onSaved: (pipelineId: string) => void;
  onDelete: () => void;
}

/** A step's size before React Flow has measured it (new nodes, auto-layout of unseen nodes). */
const NODE_SIZE = { width: 190, height: 110 };
const PASTE_OFFSET = 40;
/** The fit button leaves a margin and never zooms a small pipeline past what opening does. */
const FIT = { padding: 0.1, maxZoom: MAX_FIT_ZOOM };
const TOAST_MS = 5000;

export function PipelineEditor(props: PipelineEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}

function EditorBody({ doc, dispatch, clipboard, onSaved, onDelete }: PipelineEditorProps) {
  const { client, openRun } = useApp();
  const flow = useReactFlow<StepNode>();
  const canvas = useRef<HTMLDivElement>(null);
  // `at` makes the same message said twice a new toast, with its own timeout.
  const [toast, setToast] = useState<{ text: string; at: number } | undefined>(undefined);
  const [tab, setTab] = useState<NodeTab>('params');
  const [busy, setBusy] = useState<Busy | undefined>(undefined);
  const [actionError, setActionError] = useState<{ title: string; error: ApiError } | undefined>(undefined);
  const [versionsTick, setVersionsTick] = useState(0);
  // A pipeline that has steps opens fitted (once React Flow has measured them); an empty canvas
  // stays at 100% so the first drop does not move the view.
  const fittedOnOpen = useRef(doc.nodes.length === 0);
  const measured = useNodesInitialized();
  /** Shows the steps at a readable size: all of them when they fit, else from the first ones on. */
  const fitReadable = useCallback(
    (duration?: number) => {
      const box = canvas.current?.getBoundingClientRect();
      const nodes = flow.getNodes();
      if (!box || nodes.length === 0) return;
      void flow.setViewport(
        readableViewport(flow.getNodesBounds(nodes), box.width, box.height),
        duration ? { duration } : undefined,
      );
    },
    [flow],
  );
  useEffect(() => {
    if (!measured || fittedOnOpen.current) return;
    fittedOnOpen.current = true;
    fitReadable();
  }, [measured, fitReadable]);
  // Fitting waits for the render that moved the steps: React Flow takes new positions in its own effect.
  const [fitTick, setFitTick] = useState(0);
  useEffect(() => {
    if (fitTick === 0) return;
    const frame = requestAnimationFrame(() => fitReadable(200));
    return () => cancelAnimationFrame(frame);
  }, [fitTick, fitReadable]);

  const spec = useMemo(() => currentSpec(doc), [doc]);
  const dirty = isDirty(doc);
  const { placeless, issues } = usePipelineCheck(spec);
  const issueMap = useMemo(() => issuesByNode(issues), [issues]);

  const runs = usePipelineRuns(doc.pipelineId);
  const run = runs.run;
  // From the placeless spec, so dragging a step does not redraw every step.
  const splits = useMemo(() => splitPorts(placeless), [placeless]);
  // An edge out of a table step placed after the split carries the split: coloured as one.
  const edges = useMemo(
    () =>
      doc.edges.map((e) =>
        splits.has(portKey(e.source, 'out', e.sourceHandle ?? '')) ? { ...e, className: 'edge-split' } : e,
      ),
    [doc.edges, splits],
  );
  const decorations = useMemo<Decorations>(
    () => ({ issues: issueMap, steps: runs.steps, splitPorts: splits }),
    [issueMap, runs.steps, splits],
  );
  const stale = Boolean(run && (run.version !== doc.baseVersion || dirty));

  const pipelineId = doc.pipelineId;
  const details = useAsync<PipelineDetail>(pipelineId ? () => client.call('pipelines.get', { id: pipelineId }) : null, [
    client,
    pipelineId,
    versionsTick,
  ]);
  useEffect(
    () => client.on('pipeline.changed', (e) => e.id === doc.pipelineId && setVersionsTick((t) => t + 1)),
    [client, doc.pipelineId],
  );

  const datasetRefs = useMemo(
    () =>
      spec.nodes
        .filter((n) => n.kind === 'dataset' && typeof n.params.dataset === 'string' && n.params.dataset.trim())
        .map((n) => ({
          name: String(n.params.dataset).trim(),
          version: typeof n.params.version === 'number' ? n.params.version : undefined,
        })),
    [spec],
  );
  const datasets = useDatasetColumns(datasetRefs);
  const sources = useSources().data;

  const selected = doc.nodes.filter((n) => n.selected);
  const single = selected.length === 1 ? selected[0] : undefined;
  const outputs = useMemo(() => {
    const m = new Map<string, StepOutput | null>();
    for (const [id, s] of runs.steps) m.set(id, s.output);
    return m;
  }, [runs.steps]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(undefined), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);
  const say = useCallback((text: string) => setToast({ text, at: Date.now() }), []);

  // React Flow asks about a connection on every pointer move over a handle: read the latest canvas from refs.
  const latest = useRef(doc);
  latest.current = doc;
  const isValidConnection = useCallback(
    (c: ConnectionAttempt) => connectionProblem(latest.current.nodes, latest.current.edges, c) === null,
    [],
  );
  const onConnectEnd = useCallback(
    (_e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const from = state.fromHandle;
      const to = state.toHandle;
      if (from.type === to.type) {
        say('Connect an output (right side of a step) to an input (left side).');
        return;
      }
      const c =
        from.type === 'source'
          ? { source: from.nodeId, sourceHandle: from.id, target: to.nodeId, targetHandle: to.id }
          : { source: to.nodeId, sourceHandle: to.id, target: from.nodeId, targetHandle: from.id };
      const problem = connectionProblem(latest.current.nodes, latest.current.edges, c);
      if (problem) say(`Not connected: ${problem}.`);
    },
    [say],
  );

  const addAt = useCallback(
    (kind: string, x: number, y: number) =>
      dispatch({ type: 'add', kind, position: flow.screenToFlowPosition({ x, y }) }),
    [dispatch, flow],
  );
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(STEP_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (e: DragEvent) => {
    const kind = e.dataTransfer.getData(STEP_MIME);
    if (!kind) return;
    e.preventDefault();
    // The drop point is where the step's title lands.
    addAt(kind, e.clientX - NODE_SIZE.width / 2, e.clientY - 16);
  };
  const addInView = (kind: string) => {
    const box = canvas.current?.getBoundingClientRect();
    if (!box) return;
    const crowd = doc.nodes.length % 5;
    addAt(kind, box.left + box.width / 2 - NODE_SIZE.width / 2 + crowd * 24, box.top + box.height / 3 + crowd * 24);
  };

  const autoLayout = () => {
    const boxes = doc.nodes.map((n) => ({
      id: n.id,
      width: n.measured?.width ?? NODE_SIZE.width,
      height: n.measured?.height ?? NODE_SIZE.height,
    }));
    const width = canvas.current?.getBoundingClientRect().width;
    const rowWidth = width === undefined ? undefined : readableRowWidth(width);
    dispatch({ type: 'layout', positions: layoutLeftToRight(boxes, doc.edges, rowWidth) });
    setFitTick((t) => t + 1);
  };

  const copy = () => {
    const clip = copySelection(doc.nodes, doc.edges);
    if (clip) clipboard.current = { clip, pastes: 0 };
    return clip;
  };
  const paste = () => {
    const slot = clipboard.current;
    if (!slot) return;
    slot.pastes += 1;
    dispatch({
      type: 'paste',
      clip: slot.clip,
      offset: { x: PASTE_OFFSET * slot.pastes, y: PASTE_OFFSET * slot.pastes },
    });
  };

  const save = async (): Promise<{ id: string; version: number } | undefined> => {
    setBusy('saving');
    setActionError(undefined);
    try {
      const r = await client.call('pipelines.save', {
        ...(doc.pipelineId ? { id: doc.pipelineId } : {}),
        spec,
        message: '',
      });
      dispatch({ type: 'saved', pipelineId: r.pipeline.id, version: r.version, spec });
      onSaved(r.pipeline.id);
      setVersionsTick((t) => t + 1);
      return { id: r.pipeline.id, version: r.version };
    } catch (err) {
      setActionError({ title: 'Not saved', error: toApiError(err) });
      return undefined;
    } finally {
      setBusy(undefined);
    }
  };

  const start = async () => {
    let target =
      doc.pipelineId && doc.baseVersion !== undefined ? { id: doc.pipelineId, version: doc.baseVersion } : undefined;
    if (dirty || !target) target = await save();
    if (!target) return;
    setBusy('starting');
    setActionError(undefined);
    try {
      const { runId } = await client.call('pipelines.run', target);
      runs.show(runId);
    } catch (err) {
      setActionError({ title: 'Could not start the run', error: toApiError(err) });
    } finally {
      setBusy(undefined);
    }
  };

  const cancel = () => {
    if (!run) return;
    setBusy('cancelling');
    client
      .call('pipelines.cancel', { runId: run.id })
      .catch((err: unknown) => setActionError({ title: 'Could not cancel', error: toApiError(err) }))
      .finally(() => setBusy(undefined));
  };

  const openVersion = (version: number) => {
    if (!doc.pipelineId) return;
    client.call('pipelines.get', { id: doc.pipelineId, version }).then(
      (d) => {
        dispatch({ type: 'open', spec: d.spec, version: d.version });
        setFitTick((t) => t + 1);
      },
      (err: unknown) => setActionError({ title: `Could not open v${version}`, error: toApiError(err) }),
    );
  };

  const exportFile = () => {
    const blob = new Blob([`${JSON.stringify(spec, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${spec.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'pipeline'}.pipeline.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const onKeyDown = editorKeys({ dispatch, copy, paste, save: () => (dirty && !busy ? void save() : undefined) });

  const problems = issues.length;
  const runBlocked =
    problems > 0
      ? `Fix ${problems} problem${problems === 1 ? '' : 's'} first`
      : doc.nodes.length === 0
        ? 'Add steps first'
        : undefined;

  return (
    <div className="pl-editor" tabIndex={-1} onKeyDown={onKeyDown} data-testid="pipeline-editor" data-dirty={dirty}>
      <EditorToolbar
        doc={doc}
        dispatch={dispatch}
        dirty={dirty}
        busy={busy}
        run={run}
        runBlocked={runBlocked}
        stale={stale}
        liveCounts={countSteps(runs.steps.values())}
        onAutoLayout={autoLayout}
        onExport={exportFile}
        onDelete={onDelete}
        onSave={() => void save()}
        onStart={() => void start()}
        onCancel={cancel}
      />
      {actionError && (
        <div className="pl-error">
          <ErrorPanel title={actionError.title} error={actionError.error}>
            <button type="button" className="btn btn-small" onClick={() => setActionError(undefined)}>
              Dismiss
            </button>
          </ErrorPanel>
        </div>
      )}
      <div className="pl-body">
        <Palette onAdd={addInView} />
        <div className="pl-canvas" ref={canvas} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
          <DecorationsContext.Provider value={decorations}>
            <ReactFlow<StepNode>
              nodes={doc.nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={(changes) => dispatch({ type: 'nodesChanged', changes })}
              onEdgesChange={(changes) => dispatch({ type: 'edgesChanged', changes })}
              onConnect={(c) => {
                setToast(undefined);
                dispatch({ type: 'connect', connection: c });
              }}
              isValidConnection={isValidConnection}
              onConnectEnd={onConnectEnd}
              onNodeDragStop={() => dispatch({ type: 'commit' })}
              // Deleting goes through the editor's own key handler: React Flow's listens on the whole
              // document, and would delete from this (hidden, still mounted) page while another is shown.
              deleteKeyCode={null}
              multiSelectionKeyCode={['Control', 'Meta', 'Shift']}
              snapToGrid
              snapGrid={[10, 10]}
              // The controls' fit button shows the whole pipeline, however small that makes it.
              fitViewOptions={FIT}
              minZoom={0.2}
              maxZoom={2}
              attributionPosition="top-right"
            >
              <Background variant={BackgroundVariant.Dots} gap={20} size={1} color="#c9cfd9" />
              <Controls showInteractive={false} position="bottom-left" />
              <MiniMap<StepNode>
                pannable
                zoomable
                position="bottom-right"
                nodeColor={(n: Node) => miniColor(n as StepNode, runs.steps)}
                nodeStrokeWidth={2}
                ariaLabel="Overview of the pipeline"
              />
              {toast && (
                <Panel position="bottom-center">
                  <div className="canvas-toast" role="status" data-testid="canvas-toast">
                    {toast.text}
                    <button
                      type="button"
                      className="btn-link"
                      onClick={() => setToast(undefined)}
                      aria-label="Dismiss"
                      data-testid="canvas-toast-close"
                    >
                      ×
                    </button>
                  </div>
                </Panel>
              )}
            </ReactFlow>
          </DecorationsContext.Provider>
          {doc.nodes.length === 0 && (
            <div className="canvas-empty" data-testid="canvas-empty">
              <strong>Drag steps here from the palette</strong>
              <span>Start with a Dataset, then connect each output (right) to the next step&apos;s input (left).</span>
            </div>
          )}
        </div>
        <aside className="pl-side" aria-label={single ? 'Step' : 'Pipeline'}>
          {single ? (
            <NodePanel
              key={single.id}
              node={single}
              issues={issueMap.get(single.id) ?? []}
              ctx={{
                columns: inputColumns(spec, single.id, outputs, datasets.columnsOf),
                datasets: datasets.names,
                suggestions: suggestionsFor(single.data, datasets.versionsOf, sources),
              }}
              step={runs.steps.get(single.id)}
              stale={stale}
              tab={tab}
              onTab={setTab}
              onParams={(params, group) =>
                dispatch({ type: 'params', id: single.id, params, ...(group ? { group } : {}) })
              }
              onLabel={(label) => dispatch({ type: 'label', id: single.id, label })}
              onOpenRun={openRun}
            />
          ) : (
            <>
              {selected.length > 1 && (
                <p className="small muted pl-pad">
                  {selected.length} steps selected: Delete removes them, Ctrl+C copies them.
                </p>
              )}
              <PipelinePanel
                head={doc.head}
                issues={issues}
                versions={doc.pipelineId ? details.data?.versions : undefined}
                baseVersion={doc.baseVersion}
                runs={doc.pipelineId ? runs.runs : []}
                shownRunId={run?.id}
                onHead={(head, group) => dispatch({ type: 'head', head, group: `head:${group}` })}
                onSelectNode={(id) => dispatch({ type: 'select', ids: [id] })}
                onOpenVersion={openVersion}
                onShowRun={runs.show}
              />
            </>
          )}
        </aside>
      </div>
    </div>
  );
}

/** A step's minimap colour: its state in the run on show, else its category (pipelines.css's colours). */
function miniColor(n: StepNode, steps: ReadonlyMap<string, PipelineStep>): string {
  const state = steps.get(n.id)?.state;
  if (state) return `var(--state-${state})`;
  return isNodeKind(n.data.kind) ? `var(--cat-${nodeKinds[n.data.kind].category})` : 'var(--border-strong)';
}
