// Edit a saved source: its name, where it reads, the password's place (the field is empty; left
// empty it keeps the stored password), the query and the schedule. The dataset it feeds stays.
import { useRef, useState } from 'react';
import type { Source } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FormDialog } from '../../components/form-dialog.js';
import { ScheduleEditor } from './schedule-editor.js';
import { SourceFields, SourceTextField } from './source-fields.js';
import { formOfSource, KIND_LABELS, updateOf, type SourceField } from './source-form.js';
import { useSourceForm } from './use-source-form.js';
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
  const { form, checked, set, servedError, mark, placed } = useSourceForm(
    () => formOfSource(source),
    source.secretRef === 'stored',
  );
  const [scheduleOk, setScheduleOk] = useState(true);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const errorOf = (field: SourceField) => servedError(field) ?? checked.errors[field];

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
        if (!placed(e)) setError(e);
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
        <SourceTextField
          field="name"
          label="Name"
          ariaLabel="Source name"
          className="span-2"
          form={form}
          set={set}
          error={errorOf('name')}
        />
      </div>
      <SourceFields
        form={form}
        set={set}
        errorOf={errorOf}
        onFileError={(message) => mark('path', message)}
        editing={source.secretRef === 'stored'}
      />
      <ScheduleEditor
        value={form.schedule}
        onChange={(cron) => set('schedule', cron)}
        onValidity={setScheduleOk}
        error={servedError('schedule')}
      />
      {error && <ErrorPanel title="Could not save the source" error={error} />}
    </FormDialog>
  );
}
