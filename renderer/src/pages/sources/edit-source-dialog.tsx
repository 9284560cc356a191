// Edit a saved source: its name, where it reads, the password's place (the field is empty; left
// empty it keeps the stored password), the query and the schedule. The dataset it feeds stays.
import { useMemo, useRef, useState } from 'react';
import type { Source } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FormDialog } from '../../components/form-dialog.js';
import { ScheduleEditor } from './schedule-editor.js';
import { FieldError, SourceFields } from './source-fields.js';
import {
  checkSourceForm,
  fieldOfError,
  formOfSource,
  KIND_LABELS,
  updateOf,
  type SourceField,
  type SourceForm,
} from './source-form.js';
import '../../styles/train.css';
import '../../styles/sources.css';

interface EditSourceDialogProps {
  source: Source;
  onClose: () => void;
  onSaved: (source: Source) => void;
}

export function EditSourceDialog({ source, onClose, onSaved }: EditSourceDialogProps) {
  const { client } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState<SourceForm>(() => formOfSource(source));
  const [scheduleOk, setScheduleOk] = useState(true);
  const [saving, setSaving] = useState(false);
  const [served, setServed] = useState<{ field: SourceField; message: string } | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const checked = useMemo(() => checkSourceForm(form, source.secretRef === 'stored'), [form, source.secretRef]);
  const set = <K extends SourceField>(key: K, value: SourceForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setServed((s) => (s?.field === key ? undefined : s));
  };
  const errorOf = (field: SourceField) => (served?.field === field ? served.message : checked.errors[field]);

  const save = () => {
    const update = updateOf(source, form);
    if (!update || !scheduleOk || saving) return;
    setSaving(true);
    setError(undefined);
    client.call('sources.update', update).then(
      (saved) => {
        ref.current?.close();
        onSaved(saved);
      },
      (err: unknown) => {
        const e = toApiError(err);
        const field = fieldOfError(form.kind, e.details?.field) ?? (e.code === 'conflict' ? 'name' : undefined);
        if (field) setServed({ field, message: e.message });
        else setError(e);
        setSaving(false);
      },
    );
  };

  return (
    <FormDialog
      dialogRef={ref}
      className="train-dialog source-dialog"
      testId="edit-source-dialog"
      title={`Edit source ${source.name}`}
      subtitle={`${KIND_LABELS[source.kind]} · feeds ${source.dataset}`}
      summary={checked.request ? 'Changes apply from the next refresh.' : 'Fix the marked fields to save.'}
      busy={saving}
      submitLabel="Save"
      busyLabel="Saving…"
      submitTestId="source-save"
      submitDisabled={!checked.request || !scheduleOk}
      onSubmit={save}
      onClose={onClose}
    >
      <div className="source-grid">
        <label className="field span-2">
          <span className="field-label">Name</span>
          <input
            aria-label="Source name"
            data-testid="source-name"
            value={form.name}
            aria-invalid={errorOf('name') ? true : undefined}
            onChange={(e) => set('name', e.target.value)}
          />
          <FieldError field="name" message={errorOf('name')} />
        </label>
      </div>
      <SourceFields
        form={form}
        set={set}
        errorOf={errorOf}
        onFileError={(message) => setServed({ field: 'path', message })}
        editing={source.secretRef === 'stored'}
      />
      <ScheduleEditor
        value={form.schedule}
        onChange={(cron) => set('schedule', cron)}
        onValidity={setScheduleOk}
        error={served?.field === 'schedule' ? served.message : undefined}
      />
      {error && <ErrorPanel title="Could not save the source" error={error} />}
    </FormDialog>
  );
}
