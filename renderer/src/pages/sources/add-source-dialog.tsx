// "Add source": a kind, its fields, Test connection (ok or the error, inline), Preview (the first
// rows with the source's column types), a schedule, then Import, which saves the source and makes
// its first dataset version with a progress bar and Cancel, and opens the new dataset. Every
// failure is shown beside its field or under the form, which keeps what was typed; an import that
// fails or is cancelled removes the source it had just saved, so nothing is left half-made.
import { useRef, useState } from 'react';
import { SOURCE_KINDS, type SourceDraft, type SourcePreview } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FormDialog } from '../../components/form-dialog.js';
import { PreviewTable } from './preview-table.js';
import { RefreshProgress } from './refresh-progress.js';
import { ScheduleEditor } from './schedule-editor.js';
import { SourceFields, SourceTextField } from './source-fields.js';
import { emptySourceForm, KIND_LABELS, withKind, type SourceField } from './source-form.js';
import { useRefreshProgress } from './use-refresh-progress.js';
import { useSourceForm } from './use-source-form.js';
import '../../styles/train.css';
import '../../styles/sources.css';

interface AddSourceDialogProps {
  onClose: () => void;
  /** The first version was made: open it. */
  onImported: (datasetId: string, version: number) => void;
}

const PREVIEW_ROWS = 20;

export function AddSourceDialog({ onClose, onImported }: AddSourceDialogProps) {
  const { client } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  // Field errors show once a button was pressed, not while the first field is being typed: Test
  // and Preview need only where the source is, Import its name too.
  const [tried, setTried] = useState<'none' | 'draft' | 'all'>('none');
  const [scheduleOk, setScheduleOk] = useState(true);
  const [step, setStep] = useState<'test' | 'preview' | undefined>(undefined);
  const [stepError, setStepError] = useState<{ title: string; error: ApiError } | undefined>(undefined);
  const [tested, setTested] = useState<{ seconds: number } | undefined>(undefined);
  const [rows, setRows] = useState<SourcePreview | undefined>(undefined);
  const [importing, setImporting] = useState<string | undefined>(undefined);
  const [cancelling, setCancelling] = useState(false);
  const [importError, setImportError] = useState<ApiError | undefined>(undefined);
  const progress = useRefreshProgress(importing);

  const { form, setForm, checked, set, servedError, mark, clearServed, placed } = useSourceForm(
    () => emptySourceForm(),
    false,
    (key) => {
      // What was tested or previewed no longer says anything about the changed form.
      if (key !== 'name' && key !== 'dataset' && key !== 'schedule') {
        setTested(undefined);
        setRows(undefined);
      }
    },
  );
  const errorOf = (field: SourceField): string | undefined =>
    servedError(field) ??
    (tried === 'all' || (tried === 'draft' && field !== 'name' && field !== 'dataset')
      ? checked.errors[field]
      : undefined);

  /** Test connection or Preview: the draft's call, its failure beside a field or in a panel. */
  const check = <T,>(
    which: 'test' | 'preview',
    title: string,
    call: (draft: SourceDraft) => Promise<T>,
    done: (r: T) => void,
  ) => {
    setTried((t) => (t === 'all' ? t : 'draft'));
    setStepError(undefined);
    clearServed();
    const draft = checked.draft;
    if (!draft || step) return;
    setStep(which);
    call(draft)
      .then(done, (err: unknown) => {
        const error = toApiError(err);
        if (!placed(error)) setStepError({ title, error });
      })
      .finally(() => setStep(undefined));
  };
  const runTest = () => {
    setTested(undefined);
    check('test', 'The connection test failed', (draft) => client.call('sources.test', { draft }), setTested);
  };
  const runPreview = () =>
    check(
      'preview',
      'Could not read a preview',
      (draft) => client.call('sources.preview', { draft, limit: PREVIEW_ROWS }),
      setRows,
    );

  const runImport = () => {
    setTried('all');
    const request = checked.request;
    if (!request || !scheduleOk || importing) return;
    setImportError(undefined);
    setCancelling(false);
    setImporting(request.name);
    void (async () => {
      let saved: string | undefined;
      try {
        saved = (await client.call('sources.add', { ...request, refresh: false })).name;
        const result = await client.call('sources.refresh', { name: saved });
        const source = await client.call('sources.get', { name: saved });
        ref.current?.close();
        if (source.datasetId) onImported(source.datasetId, result.version);
      } catch (err) {
        // The source was saved for this import only: without its first version it goes too.
        if (saved) await client.call('sources.remove', { name: saved }).catch(() => undefined);
        const error = toApiError(err);
        if (!placed(error) || error.code === 'cancelled') setImportError(error);
      } finally {
        setImporting(undefined);
      }
    })();
  };
  const cancelImport = () => {
    if (!importing) return;
    setCancelling(true);
    client.call('sources.cancelRefresh', { name: importing }).catch(() => setCancelling(false));
  };

  const busy = importing !== undefined;
  return (
    <FormDialog
      dialogRef={ref}
      className="train-dialog source-dialog"
      testId="add-source-dialog"
      title="Add a source"
      subtitle="a database query, a file at a URL, or objects in S3, read into a dataset"
      summary={
        tried === 'all' && !checked.request
          ? 'Fix the marked fields to import.'
          : `Import reads the whole result into a new dataset${form.schedule ? ', then refreshes it on the schedule' : ''}.`
      }
      busy={busy}
      submitLabel="Import"
      busyLabel="Importing…"
      submitTestId="source-import"
      submitDisabled={!scheduleOk}
      onSubmit={runImport}
      onClose={onClose}
    >
      <fieldset className="source-kinds" disabled={busy}>
        <legend>Kind</legend>
        <div role="radiogroup" aria-label="Source kind" className="source-kind-choices">
          {SOURCE_KINDS.map((k) => (
            <label key={k} className={form.kind === k ? 'selected' : undefined}>
              <input
                type="radio"
                name="source-kind"
                value={k}
                data-testid={`source-kind-${k}`}
                checked={form.kind === k}
                onChange={() => {
                  setForm((f) => withKind(f, k));
                  setTested(undefined);
                  setRows(undefined);
                  clearServed();
                }}
              />
              {KIND_LABELS[k]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="source-body" disabled={busy}>
        <div className="source-grid">
          <SourceTextField
            field="name"
            label="Name"
            ariaLabel="Source name"
            placeholder="orders"
            className="span-2"
            form={form}
            set={set}
            error={errorOf('name')}
          />
          <SourceTextField
            field="dataset"
            label="Dataset it feeds"
            ariaLabel="Dataset name"
            placeholder={form.name.trim() || 'the source’s name'}
            className="span-2"
            form={form}
            set={set}
            error={errorOf('dataset')}
          />
        </div>
        <SourceFields form={form} set={set} errorOf={errorOf} onFileError={(message) => mark('path', message)} />
        <div className="source-checks">
          <button
            type="button"
            className="btn"
            onClick={runTest}
            disabled={step !== undefined}
            data-testid="source-test"
          >
            {step === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button
            type="button"
            className="btn"
            onClick={runPreview}
            disabled={step !== undefined}
            data-testid="source-preview-open"
          >
            {step === 'preview' ? 'Reading…' : 'Preview'}
          </button>
          {tested && (
            <span className="source-ok" role="status" data-testid="source-test-ok">
              ✓ Connected in {tested.seconds.toFixed(2)} s
            </span>
          )}
        </div>
        {stepError && <ErrorPanel title={stepError.title} error={stepError.error} />}
        {rows && <PreviewTable preview={rows} />}
        <ScheduleEditor
          value={form.schedule}
          onChange={(cron) => set('schedule', cron)}
          onValidity={setScheduleOk}
          error={errorOf('schedule')}
        />
      </fieldset>
      {busy && <RefreshProgress progress={progress} cancelling={cancelling} onCancel={cancelImport} />}
      {importError && (
        <ErrorPanel
          title={importError.code === 'cancelled' ? 'The import was cancelled' : 'The import failed'}
          error={importError}
        >
          <span className="small">Nothing was imported and the source was not kept; the form is as you left it.</span>
        </ErrorPanel>
      )}
    </FormDialog>
  );
}
