// The state both source dialogs (Add and Edit) keep: the form, its check, and an error the engine
// sent back naming a field, shown beside that field until the field changes.
import { useMemo, useState } from 'react';
import type { ApiError } from '../../api/api-error.js';
import { checkSourceForm, fieldOfError, type SourceField, type SourceForm } from './source-form.js';

export function useSourceForm(initial: () => SourceForm, storedSecret = false, onEdit?: (key: SourceField) => void) {
  const [form, setForm] = useState<SourceForm>(initial);
  const [served, setServed] = useState<{ field: SourceField; message: string } | undefined>(undefined);
  const checked = useMemo(() => checkSourceForm(form, storedSecret), [form, storedSecret]);
  const set = <K extends SourceField>(key: K, value: SourceForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setServed((s) => (s?.field === key ? undefined : s));
    onEdit?.(key);
  };
  return {
    form,
    setForm,
    checked,
    set,
    /** The engine's word on a field, if its last answer named it. */
    servedError: (field: SourceField): string | undefined => (served?.field === field ? served.message : undefined),
    /** Shows a message beside a field (e.g. a file that could not be uploaded). */
    mark: (field: SourceField, message: string) => setServed({ field, message }),
    clearServed: () => setServed(undefined),
    /** An engine error beside the field it names (a taken name for a conflict); false when it names none. */
    placed: (err: ApiError): boolean => {
      const field = fieldOfError(form.kind, err.details?.field) ?? (err.code === 'conflict' ? 'name' : undefined);
      if (field) setServed({ field, message: err.message });
      return field !== undefined;
    },
  };
}
