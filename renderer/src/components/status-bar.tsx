// A quiet line at the bottom: which training backend the engine loaded and where data lives,
// so a slow run on the CPU fallback is never a mystery.
import type { AppInfo } from '../../../shared/api.js';
import type { ApiError } from '../api/api-error.js';

const BACKEND_LABEL: Record<AppInfo['backend']['name'], string> = {
  tensorflow: 'TensorFlow (native)',
  wasm: 'WebAssembly',
  cpu: 'CPU (JavaScript)',
};

interface StatusBarProps {
  info: AppInfo | undefined;
  error: ApiError | undefined;
  onAbout: () => void;
}

export function StatusBar({ info, error, onAbout }: StatusBarProps) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      {error ? (
        <span className="status-error">Engine unavailable: {error.message}</span>
      ) : info ? (
        <>
          <button type="button" className="status-item link" onClick={onAbout} title="About this installation">
            Backend: <strong data-testid="backend-name">{BACKEND_LABEL[info.backend.name]}</strong>
          </button>
          <span className="status-item" title={info.home}>
            Data folder:{' '}
            <span className="mono" data-testid="data-folder">
              {info.home}
            </span>
          </span>
          <span className="status-spacer" />
          <span className="status-item">{info.host === 'desktop' ? 'Desktop' : 'Browser'}</span>
          <span className="status-item">Cairn {info.version}</span>
        </>
      ) : (
        <span className="status-item muted">Connecting to the engine…</span>
      )}
    </footer>
  );
}
