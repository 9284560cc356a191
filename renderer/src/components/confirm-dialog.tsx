// The question before a step that cannot be taken back (delete a version, a pipeline or an alert
// rule, stop an endpoint, roll an alias back): a red button that runs the step and closes the dialog
// once it is done, or keeps it open with the error.
import type { ReactNode } from 'react';
import { useAction } from '../lib/use-action.js';
import { DialogShell } from './dialog-shell.js';

interface ConfirmDialogProps {
  title: string;
  testId: string;
  /** The button's word for the step: "Delete", "Stop", "Roll back". */
  confirmLabel: string;
  action: () => Promise<unknown>;
  onClose: () => void;
  /** What the step does and what stays. */
  children: ReactNode;
}

export function ConfirmDialog({ confirmLabel, action, onClose, ...frame }: ConfirmDialogProps) {
  const { busy, error, run } = useAction();
  return (
    <DialogShell
      {...frame}
      busy={busy}
      error={error}
      submitLabel={confirmLabel}
      danger
      onSubmit={() => run(action, onClose)}
      onClose={onClose}
    />
  );
}
