// The registry's small dialogs: point an alias at a version (with a reason), confirm a delete,
// and export a version to a file.
import { useState } from 'react';
import { AliasName, ExportFormat } from '../../../../shared/api.js';
import { exportFileName, type ExportOutcome } from '../../api/client.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { DialogShell } from '../../components/dialog-shell.js';
import { useAction } from '../../lib/use-action.js';

export interface SetAliasDialogProps {
  model: string;
  version: number;
  /** The model's aliases now (alias → version), to say what a move changes. */
  current: Record<string, number>;
  run: (alias: string, reason: string) => Promise<unknown>;
  onClose: () => void;
}

export function SetAliasDialog({ model, version, current, run, onClose }: SetAliasDialogProps) {
  const [alias, setAlias] = useState('production');
  const [reason, setReason] = useState('');
  const { busy, error, run: start } = useAction();
  const valid = AliasName.safeParse(alias).success;
  const was = current[alias.trim().toLowerCase()];
  const submit = () => start(() => run(alias.trim(), reason.trim()), onClose);
  return (
    <DialogShell
      title={`Set an alias on ${model} v${version}`}
      testId="alias-dialog"
      busy={busy}
      error={error}
      submitLabel="Set alias"
      disabled={!valid}
      onSubmit={submit}
      onClose={onClose}
    >
      <label className="field">
        <span>Alias</span>
        <input
          list="alias-suggestions"
          value={alias}
          onChange={(e) => setAlias(e.target.value)}
          data-testid="alias-name"
          autoFocus
        />
        <datalist id="alias-suggestions">
          <option value="production" />
          <option value="staging" />
          <option value="canary" />
        </datalist>
      </label>
      <p className="small muted" data-testid="alias-effect">
        {!valid
          ? 'An alias starts with a letter; letters, digits, ".", "_" and "-" follow.'
          : was === undefined
            ? `${alias.trim()} is new: it will point at version ${version}.`
            : was === version
              ? `${alias.trim()} already points at version ${version}.`
              : `${alias.trim()} moves from version ${was} to ${version}. Rollback puts it back.`}
      </p>
      <label className="field">
        <span>Reason (kept in the alias history)</span>
        <textarea
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="alias-reason"
          placeholder="e.g. better F1 on the March data"
        />
      </label>
    </DialogShell>
  );
}

export interface ConfirmDeleteProps {
  model: string;
  version: number;
  run: () => Promise<unknown>;
  onClose: () => void;
}

export function ConfirmDeleteDialog({ model, version, run, onClose }: ConfirmDeleteProps) {
  return (
    <ConfirmDialog
      title={`Delete ${model} v${version}?`}
      testId="delete-dialog"
      confirmLabel="Delete"
      action={run}
      onClose={onClose}
    >
      <p>
        The version&apos;s files (model, weights, preprocessing, card) are removed from the data folder. Its run stays
        in the Runs page. This cannot be undone; export it first to keep a copy.
      </p>
    </ConfirmDialog>
  );
}

export interface ExportDialogProps {
  model: string;
  version: number;
  /** 'desktop': a save dialog picks the file; 'browser': the bundle comes as a download. */
  host: 'desktop' | 'browser';
  run: (format: ExportFormat) => Promise<ExportOutcome>;
  onClose: () => void;
}

const FORMAT_NOTE: Record<ExportFormat, string> = {
  bundle:
    'One zip: the model, its preprocessing, its card and bundle.json (signature, lineage, hashes). Import it with cairn models import.',
  onnx: 'An ONNX model with the preprocessing inside: another program (onnxruntime, any language) feeds it the raw columns, as it would the endpoint.',
};

/** Starts the browser's download of `url`: the server sends it as an attachment, so the page stays. */
function startDownload(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function ExportDialog({ model, version, host, run, onClose }: ExportDialogProps) {
  const { busy, error, run: start } = useAction();
  const [done, setDone] = useState<string | undefined>(undefined);
  const [format, setFormat] = useState<ExportFormat>('bundle');
  const fileName = exportFileName(model, version, format);
  const submit = () => {
    if (done) return onClose();
    start(
      () => run(format),
      (r) => {
        if (r.kind === 'written') setDone(`Written: ${r.path} (${r.bytes.toLocaleString()} bytes)`);
        if (r.kind === 'download') {
          startDownload(r.url, r.fileName);
          setDone(`Downloading ${r.fileName}: your browser saves it with its other downloads.`);
        }
      },
    );
  };
  return (
    <DialogShell
      title={`Export ${model} v${version}`}
      testId="export-dialog"
      busy={busy}
      error={error}
      submitLabel={done ? 'Done' : host === 'browser' ? 'Download' : 'Save as…'}
      onSubmit={submit}
      onClose={onClose}
    >
      <p>
        {host === 'browser' ? (
          <>
            Downloads <span className="mono">{fileName}</span> to this computer.
          </>
        ) : (
          <>
            Choose where to save <span className="mono">{fileName}</span>.
          </>
        )}
      </p>
      <label className="field">
        <span className="field-label">Format</span>
        <select
          value={format}
          onChange={(e) => setFormat(ExportFormat.parse(e.target.value))}
          disabled={busy || done !== undefined}
          data-testid="export-format"
        >
          <option value="bundle">Cairn bundle (.zip)</option>
          <option value="onnx">ONNX (.onnx)</option>
        </select>
      </label>
      <p className="small muted">{FORMAT_NOTE[format]}</p>
      {done && (
        <p className="ok-note" data-testid="export-done">
          {done}
        </p>
      )}
    </DialogShell>
  );
}
