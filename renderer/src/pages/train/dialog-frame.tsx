// What both Train dialogs (a table's and an image dataset's) share: the modal (FormDialog, as the
// Sweep dialog's), the start of a run with its errors, and the form's marked fields once Train was pressed.
import { useRef, useState, type ReactNode } from 'react';
import type { RunRequest } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FormDialog } from '../../components/form-dialog.js';

/** A Train dialog's state: the modal, whether a start is under way, its error, and the marked fields. */
export function useTrainStart(errors: Record<string, string>, onStarted: (runId: string) => void) {
  const { client } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [tried, setTried] = useState(false);

  const valid = Object.keys(errors).length === 0;
  /** Queues the run `request()` makes once the form is valid, then closes and shows it. */
  const start = (request: () => RunRequest) => {
    setTried(true);
    if (!valid || starting) return;
    setStarting(true);
    setError(undefined);
    client.call('runs.start', request()).then(
      ({ runId }) => {
        ref.current?.close();
        onStarted(runId);
      },
      (err: unknown) => {
        setError(toApiError(err));
        setStarting(false);
      },
    );
  };
  const fieldError = (key: string) =>
    tried && errors[key] ? (
      <span className="field-error" role="alert" data-testid={`error-${key}`}>
        {errors[key]}
      </span>
    ) : null;
  return { ref, starting, error, tried, valid, errors, start, fieldError };
}

export type TrainStart = ReturnType<typeof useTrainStart>;

interface TrainDialogFrameProps {
  train: TrainStart;
  testId: string;
  /** What is trained on, beside the title. */
  subtitle: ReactNode;
  /** What the run will do, in the footer. */
  summary: ReactNode;
  /** Fields shown up front: an error elsewhere says it is under Advanced. */
  basicFields: readonly string[];
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** The Train dialogs' frame: FormDialog with the start's error and the marked fields' hint under the form. */
export function TrainDialogFrame(props: TrainDialogFrameProps) {
  const { train, testId, subtitle, summary, basicFields, onSubmit, onClose, children } = props;
  return (
    <FormDialog
      dialogRef={train.ref}
      className="train-dialog"
      testId={testId}
      title="Train a model"
      subtitle={subtitle}
      summary={summary}
      busy={train.starting}
      submitLabel="Train"
      busyLabel="Starting…"
      submitTestId="train-start"
      onSubmit={onSubmit}
      onClose={onClose}
    >
      {children}
      {train.error && <ErrorPanel title="Could not start training" error={train.error} />}
      {train.tried && !train.valid && (
        <p className="field-error" role="alert">
          Fix the marked fields
          {Object.keys(train.errors).some((k) => !basicFields.includes(k)) ? ' (some are under Advanced)' : ''}.
        </p>
      )}
    </FormDialog>
  );
}
