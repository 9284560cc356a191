// "Import bundle…": brings a model bundle exported by another Cairn in as a new version. The
// desktop app hands the engine a handle main granted for the file; the browser uploads it first (with progress),
// and the engine removes the uploaded copy once it has checked and imported it.
import { useState } from 'react';
import type { ModelVersionInfo } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FileButton } from '../../components/file-button.js';
import { ProgressBar } from '../../components/progress-bar.js';

type State =
  | { step: 'idle' }
  | { step: 'uploading'; fraction: number | undefined; file: string }
  | { step: 'checking'; file: string }
  | { step: 'failed'; error: ApiError };

/** A button that imports a bundle, showing upload progress, then the check, then any error. */
export function ImportBundleButton({
  onImported,
  primary = false,
}: {
  onImported: (v: ModelVersionInfo) => void;
  primary?: boolean;
}) {
  const { client, transport } = useApp();
  const [state, setState] = useState<State>({ step: 'idle' });
  const busy = state.step === 'uploading' || state.step === 'checking';

  const importFile = async (file: File) => {
    const source = transport.sourceFor(file);
    let request: { path: string; removeSourceAfter: boolean };
    if (source.kind === 'handle') {
      request = { path: await source.grant(), removeSourceAfter: false };
    } else {
      setState({ step: 'uploading', fraction: 0, file: file.name });
      const upload = source.start((sent, total) =>
        setState({ step: 'uploading', fraction: total ? sent / total : undefined, file: file.name }),
      );
      request = { path: (await upload.done).path, removeSourceAfter: true };
    }
    setState({ step: 'checking', file: file.name });
    const version = await client.call('models.import', request);
    setState({ step: 'idle' });
    onImported(version);
  };

  return (
    <div className="import-bundle" data-testid="import-bundle">
      <FileButton
        testId="import-bundle"
        label="Import bundle…"
        accept=".zip,application/zip"
        multiple={false}
        inputLabel="Choose a model bundle (.zip) to import"
        primary={primary}
        disabled={busy}
        onFiles={(files) => {
          const file = files[0];
          if (file) importFile(file).catch((err: unknown) => setState({ step: 'failed', error: toApiError(err) }));
        }}
      />
      {state.step === 'uploading' && <ProgressBar fraction={state.fraction} label={`Uploading ${state.file}`} />}
      {state.step === 'checking' && (
        <p className="small muted" role="status">
          Checking and importing {state.file}…
        </p>
      )}
      {state.step === 'failed' && <ErrorPanel title="The bundle was not imported" error={state.error} />}
    </div>
  );
}
