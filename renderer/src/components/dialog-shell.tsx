// The app's modal dialog: a title, a body, an error and Cancel / submit buttons, opened as a modal
// <dialog> on mount. The registry's, monitoring's, pipelines' and endpoints' dialogs are built on it.
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../api/api-error.js';
import { ErrorPanel } from './error-panel.js';

interface DialogShellProps {
  title: string;
  testId: string;
  busy: boolean;
  error?: ApiError;
  submitLabel: string;
  danger?: boolean;
  disabled?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** A modal <dialog> with a title, a body, an error and Cancel / submit buttons. */
export function DialogShell({
  title,
  testId,
  busy,
  error,
  submitLabel,
  danger,
  disabled,
  onSubmit,
  onClose,
  children,
}: DialogShellProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <dialog
      ref={ref}
      className="model-dialog"
      aria-label={title}
      data-testid={testId}
      onClose={onClose}
      onCancel={(e) => busy && e.preventDefault()}
    >
      <form method="dialog" onSubmit={submit}>
        <h2>{title}</h2>
        <div className="model-dialog-body">{children}</div>
        {error && <ErrorPanel title={`${submitLabel} failed`} error={error} />}
        <div className="model-dialog-actions">
          <button type="button" className="btn" onClick={() => ref.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
            disabled={busy || disabled}
            data-testid={`${testId}-submit`}
          >
            {busy ? `${submitLabel}…` : submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
