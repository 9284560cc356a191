// The Pipelines page: the saved pipelines on the left (new from a template or blank, import a
// file; each open one marked when it has unsaved changes), the editor on the right. Each opened
// pipeline keeps its working copy and undo history while the page lives, so switching between
// pipelines (or pages: this one stays mounted) loses nothing.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { PipelineSummary } from '../../../../shared/api.js';
import { PipelineSpec, validatePipeline } from '../../../../shared/pipeline.js';
import { ApiError, toApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FileButton } from '../../components/file-button.js';
import { formatDate } from '../../lib/format.js';
import { navigate, type RouteOf } from '../../lib/hash-route.js';
import { useAsync } from '../../lib/use-async.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyPage } from '../../components/empty-page.js';
import { SideListItem } from '../../components/side-list-item.js';
import { editorReducer, isDirty, newDoc, type EditorAction, type EditorDoc } from './editor-state.js';
import { NewPipelineDialog } from './new-pipeline-dialog.js';
import { PipelineEditor, type ClipboardSlot } from './pipeline-editor.js';
import { uniqueName } from './pipeline-names.js';
import { RUN_LABELS } from './run-steps.js';
import '@xyflow/react/dist/style.css';
import '../../styles/models.css';
import '../../styles/pipelines.css';

type DocsAction =
  | { type: 'edit'; key: string; action: EditorAction }
  | { type: 'put'; key: string; doc: EditorDoc }
  | { type: 'rekey'; from: string; to: string }
  | { type: 'drop'; key: string };

/** Open working copies by key: a pipeline's id, or draft:N for a file not saved yet. */
function docsReducer(docs: ReadonlyMap<string, EditorDoc>, a: DocsAction): ReadonlyMap<string, EditorDoc> {
  const next = new Map(docs);
  switch (a.type) {
    case 'edit': {
      const doc = docs.get(a.key);
      if (!doc) return docs;
      const updated = editorReducer(doc, a.action);
      if (updated === doc) return docs;
      next.set(a.key, updated);
      return next;
    }
    case 'put':
      next.set(a.key, a.doc);
      return next;
    case 'rekey': {
      const doc = docs.get(a.from);
      if (!doc || a.from === a.to) return docs;
      next.delete(a.from);
      next.set(a.to, doc);
      return next;
    }
    case 'drop':
      next.delete(a.key);
      return next;
  }
}

/** A saved pipeline is opened by its route (#/pipelines/<id>); a draft not saved yet has none. */
export function PipelinesPage({ route }: { route: RouteOf<'pipelines'> }) {
  const { client } = useApp();
  const [tick, setTick] = useState(0);
  const list = useAsync<PipelineSummary[]>(() => client.call('pipelines.list', {}), [client, tick]);
  const [docs, edit] = useReducer(docsReducer, new Map<string, EditorDoc>());
  const [openKey, setOpenKey] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<PipelineSummary | undefined>(undefined);
  // The list folds away to give the canvas the room (the desktop window opens at 1280 px).
  const [listOpen, setListOpen] = useState(true);
  const [pageError, setPageError] = useState<{ title: string; error: ApiError } | undefined>(undefined);
  // Ids deleted here: hidden from the list at once, so the list, the auto-open of the newest
  // pipeline and the empty page never show a deleted pipeline while the reload is in flight.
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());
  const drafts = useRef(0);
  const clipboard = useRef<ClipboardSlot | null>(null);

  useEffect(() => {
    const reload = () => setTick((t) => t + 1);
    const offChanged = client.on('pipeline.changed', reload);
    const offRun = client.on('pipeline.run', reload);
    return () => {
      offChanged();
      offRun();
    };
  }, [client]);

  const pipelines = useMemo(() => list.data?.filter((p) => !deleted.has(p.id)), [list.data, deleted]);
  const names = [...(pipelines ?? []).map((p) => p.name), ...[...docs.values()].map((d) => d.head.name)];

  const open = useCallback(
    (id: string) => {
      setOpenKey(id);
      if (docs.has(id)) return;
      setLoading(id);
      client.call('pipelines.get', { id }).then(
        (d) => {
          edit({ type: 'put', key: id, doc: newDoc(d.spec, { pipelineId: d.pipeline.id, version: d.version }) });
          setLoading(undefined);
        },
        (err: unknown) => {
          setLoading(undefined);
          setPageError({ title: 'Could not open the pipeline', error: toApiError(err) });
        },
      );
    },
    [client, docs],
  );

  const routed = route.pipelineId;
  const show = (id: string) => navigate({ page: 'pipelines', pipelineId: id });
  const showDraft = (key: string) => {
    setOpenKey(key);
    navigate({ page: 'pipelines' });
  };
  // Opens what the route names when the route changes (a click, Back, a link), and only then: the
  // hashchange comes a task after a click's own state, which must not be undone by the old route.
  const lastRouted = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (routed === lastRouted.current) return;
    lastRouted.current = routed;
    if (routed && routed !== openKey && !deleted.has(routed)) open(routed);
  }, [routed, openKey, open, deleted]);

  // First visit without a pipeline in the route: open the most recently saved one.
  useEffect(() => {
    if (openKey || routed || !pipelines?.length) return;
    const newest = [...pipelines].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    if (newest) open(newest.id);
  }, [pipelines, openKey, routed, open]);

  /** Saves a new file as a pipeline and opens it. */
  const createSaved = async (spec: PipelineSpec, message: string) => {
    const r = await client.call('pipelines.save', { spec, message });
    edit({ type: 'put', key: r.pipeline.id, doc: newDoc(spec, { pipelineId: r.pipeline.id, version: r.version }) });
    setOpenKey(r.pipeline.id);
    show(r.pipeline.id);
    setTick((t) => t + 1);
  };

  const importFile = async (file: File) => {
    setPageError(undefined);
    let raw: unknown;
    try {
      raw = JSON.parse(await file.text());
    } catch (err) {
      setPageError({
        title: `Could not import ${file.name}`,
        error: new ApiError({
          code: 'invalid_argument',
          message: `${file.name} is not JSON: ${err instanceof Error ? err.message : String(err)}`,
        }),
      });
      return;
    }
    const shape = PipelineSpec.safeParse(raw);
    if (!shape.success) {
      const issues = validatePipeline(raw).issues.slice(0, 5);
      const where = (i: (typeof issues)[number]) =>
        [i.nodeId && `node ${i.nodeId}`, i.edgeId && `edge ${i.edgeId}`, i.field].filter(Boolean).join(' ');
      setPageError({
        title: `Could not import ${file.name}`,
        error: new ApiError({
          code: 'invalid_argument',
          message: `not a Cairn pipeline file: ${issues.map((i) => `${where(i) ? `${where(i)}: ` : ''}${i.message}`).join('; ')}`,
          details: { issues },
        }),
      });
      return;
    }
    const spec = { ...shape.data, name: uniqueName(shape.data.name, names) };
    if (validatePipeline(spec).ok) {
      try {
        await createSaved(spec, `imported from ${file.name}`);
        return;
      } catch (err) {
        // e.g. a dataset it names is missing: open it unsaved, with the problems marked.
        if (toApiError(err).code !== 'invalid_argument') {
          setPageError({ title: `Could not import ${file.name}`, error: toApiError(err) });
          return;
        }
      }
    }
    // A file with problems opens unsaved, its problems marked on its steps, to be fixed and saved.
    const key = `draft:${++drafts.current}`;
    edit({ type: 'put', key, doc: newDoc(spec) });
    showDraft(key);
  };

  const confirmDelete = async () => {
    if (!deleting) return;
    await client.call('pipelines.delete', { id: deleting.id });
    setDeleted((prev) => new Set(prev).add(deleting.id));
    edit({ type: 'drop', key: deleting.id });
    if (openKey === deleting.id) {
      setOpenKey(undefined);
      navigate({ page: 'pipelines' }, { replace: true });
    }
    setTick((t) => t + 1);
  };

  const draftKeys = [...docs.keys()].filter((k) => k.startsWith('draft:'));
  const doc = openKey ? docs.get(openKey) : undefined;
  const dispatch = useCallback(
    (action: EditorAction) => openKey && edit({ type: 'edit', key: openKey, action }),
    [openKey],
  );

  if (list.error) return <ErrorPanel title="Could not list pipelines" error={list.error} />;
  return (
    <div className="models-page pipelines-page" data-testid="pipelines-page">
      {!listOpen && (
        <button
          type="button"
          className="pl-list-folded"
          onClick={() => setListOpen(true)}
          title="Show the pipelines"
          data-testid="pipeline-list-show"
        >
          <span aria-hidden="true">›</span>
          <span className="pl-list-folded-label">Pipelines</span>
        </button>
      )}
      <aside className="models-list pl-list" aria-label="Pipelines" hidden={!listOpen}>
        <div className="pl-list-head">
          <h2 className="models-list-head">Pipelines</h2>
          <button
            type="button"
            className="btn btn-small btn-ghost pl-list-fold"
            onClick={() => setListOpen(false)}
            title="Hide the list"
            aria-label="Hide the pipelines list"
            data-testid="pipeline-list-hide"
          >
            ‹
          </button>
        </div>
        <div className="pl-list-actions">
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => setCreating(true)}
            data-testid="pipeline-new"
          >
            + New
          </button>
          <FileButton
            onFiles={([file]) => {
              if (file) void importFile(file);
            }}
            className="btn btn-small"
            title="Open a pipeline file (.json)"
            label="Import…"
            accept=".json,application/json"
            multiple={false}
            inputLabel="Choose a pipeline file to import"
            buttonTestId="pipeline-import"
            inputTestId="pipeline-import-input"
          />
        </div>
        {pipelines && pipelines.length === 0 && draftKeys.length === 0 && (
          <p className="small muted pl-none">None yet.</p>
        )}
        <ul>
          {draftKeys.map((k) => (
            <SideListItem
              key={k}
              active={openKey === k}
              onClick={() => showDraft(k)}
              testId="pipeline-item"
              data-name={docs.get(k)?.head.name}
            >
              <span className="model-item-name ellipsis">{docs.get(k)?.head.name}</span>
              <span className="small warn">not saved yet</span>
            </SideListItem>
          ))}
          {pipelines?.map((p) => {
            const d = docs.get(p.id);
            const dirty = d ? isDirty(d) : false;
            return (
              <SideListItem
                key={p.id}
                active={openKey === p.id}
                onClick={() => show(p.id)}
                testId="pipeline-item"
                data-name={p.name}
              >
                <span className="pl-item-title">
                  <span className="model-item-name ellipsis">{p.name}</span>
                  {dirty && (
                    <span className="unsaved-dot" title="Unsaved changes">
                      ●
                    </span>
                  )}
                </span>
                <span className="small muted ellipsis">
                  v{p.latestVersion} · saved {formatDate(p.updatedAt)}
                </span>
                {p.lastRun && (
                  <span
                    className="small ellipsis"
                    title={`Last run ${formatDate(p.lastRun.createdAt)}, of v${p.lastRun.version}`}
                  >
                    <span className={`run-status run-status-${p.lastRun.status}`}>{RUN_LABELS[p.lastRun.status]}</span>
                    <span className="muted"> last run {shortWhen(p.lastRun.createdAt)}</span>
                  </span>
                )}
              </SideListItem>
            );
          })}
        </ul>
      </aside>
      <main className="pl-main">
        {pageError && (
          <div className="pl-error">
            <ErrorPanel title={pageError.title} error={pageError.error}>
              <button type="button" className="btn btn-small" onClick={() => setPageError(undefined)}>
                Dismiss
              </button>
            </ErrorPanel>
          </div>
        )}
        {doc && openKey ? (
          <PipelineEditor
            key={openKey}
            doc={doc}
            dispatch={dispatch}
            clipboard={clipboard}
            onSaved={(id) => {
              edit({ type: 'rekey', from: openKey, to: id });
              setOpenKey(id);
              show(id);
              setTick((t) => t + 1);
            }}
            onDelete={() => setDeleting(pipelines?.find((p) => p.id === doc.pipelineId))}
          />
        ) : loading || !pipelines ? (
          <p className="muted loading-pane">Loading…</p>
        ) : pipelines.length === 0 && draftKeys.length === 0 ? (
          <NoPipelines onNew={() => setCreating(true)} />
        ) : (
          <p className="muted loading-pane" data-testid="pipelines-none-open">
            Choose a pipeline on the left to open it, or make a new one.
          </p>
        )}
      </main>
      {creating && (
        <NewPipelineDialog
          suggestedName={uniqueName('Untitled pipeline', names)}
          create={createSaved}
          onClose={() => setCreating(false)}
        />
      )}
      {deleting && <DeleteDialog pipeline={deleting} run={confirmDelete} onClose={() => setDeleting(undefined)} />}
    </div>
  );
}

/** A time today as "14:05", an earlier one as its date: enough for a narrow list. */
function shortWhen(iso: string): string {
  const full = formatDate(iso);
  return full.slice(0, 10) === formatDate(new Date().toISOString()).slice(0, 10) ? full.slice(11) : full.slice(0, 10);
}

function DeleteDialog({
  pipeline,
  run,
  onClose,
}: {
  pipeline: PipelineSummary;
  run: () => Promise<void>;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog
      title={`Delete ${pipeline.name}?`}
      testId="delete-pipeline-dialog"
      confirmLabel="Delete"
      action={run}
      onClose={onClose}
    >
      <p>
        Its {pipeline.versionCount} version{pipeline.versionCount === 1 ? '' : 's'} and its run history go. Models,
        training runs and endpoints its runs made stay. Export it first to keep a copy of the file.
      </p>
    </ConfirmDialog>
  );
}

function NoPipelines({ onNew }: { onNew: () => void }) {
  return (
    <EmptyPage icon="⇶" title="No pipelines yet" testId="pipelines-empty">
      <p>
        A pipeline chains the steps from a dataset to a served model: prepare the table, split it, train, evaluate
        against gates such as <code>accuracy &gt;= 0.9</code>, register and deploy. Steps whose inputs did not change
        are reused on the next run.
      </p>
      <button type="button" className="btn btn-primary" onClick={onNew} data-testid="pipelines-empty-new">
        New pipeline
      </button>
      <p className="muted small">
        Start blank, or from the tabular classification and regression templates. A pipeline file can also be imported,
        and run headless with <code>cairn run</code>.
      </p>
    </EmptyPage>
  );
}
