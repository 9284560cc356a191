// The frame of a large form over a dataset version in a modal <dialog> (the Train and Sweep
// dialogs; train.css styles it): a title with the version it acts on, a scrolling body, and a footer with a summary,
// Cancel and the submit button. Opened as a modal on mount; Escape does not close it while busy.
import { useEffect, type ReactNode, type RefObject } from 'react';
import type { DatasetDetail } from '../../../shared/api.js';
import { formatCount } from '../lib/format.js';

interface FormDialogProps {
  /** The caller closes the dialog through it once its submit succeeded. */
  dialogRef: RefObject<HTMLDialogElement | null>;
  className: string;
  testId: string;
  title: string;
  /** What the form acts on, beside the title: a dataset version's name, number and rows by default. */
  detail?: Pick<DatasetDetail, 'dataset' | 'version'>;
  subtitle?: ReactNode;
  /** The footer's words before its buttons. */
  summary: ReactNode;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  submitTestId: string;
  submitDisabled?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

export function FormDialog(props: FormDialogProps) {
  const { dialogRef, className, testId, title, detail, subtitle, summary, busy, onSubmit, onClose, children } = props;
  const titleId = `${testId}-title`;
  useEffect(() => {
    const el = dialogRef.current;
    if (el && !el.open) el.showModal();
  }, [dialogRef]);
  return (
    <dialog
      ref={dialogRef}
      className={className}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
      onCancel={(e) => {
        if (busy) e.preventDefault();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <header className="train-head">
          <h1 id={titleId}>{title}</h1>
          <span className="muted">
            {subtitle ??
              (detail && (
                <>
                  on <strong>{detail.dataset.name}</strong> version {detail.version.version} ·{' '}
                  {formatCount(detail.version.rows)} rows
                </>
              ))}
          </span>
        </header>
        <div className="train-body">{children}</div>
        <footer className="train-foot">
          <span className="muted small">{summary}</span>
          <button type="button" className="btn" onClick={() => dialogRef.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid={props.submitTestId}
            disabled={busy || props.submitDisabled}
          >
            {busy ? props.busyLabel : props.submitLabel}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
