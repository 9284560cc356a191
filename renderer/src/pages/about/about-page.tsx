// What `cairn doctor` says, in the app: version, data folder, which training backend loaded and
// why the faster ones did not, and the versions of the parts underneath.
import type { AppInfo } from '../../../../shared/api.js';
import type { ApiError } from '../../api/api-error.js';
import { ErrorPanel } from '../../components/error-panel.js';

export function AboutPage({ info, error }: { info: AppInfo | undefined; error: ApiError | undefined }) {
  if (error)
    return (
      <div className="about">
        <ErrorPanel title="Could not reach the engine" error={error} />
      </div>
    );
  if (!info) return <div className="about muted">Loading…</div>;
  return (
    <div className="about" data-testid="about">
      <h1>Cairn {info.version}</h1>
      <p className="muted">Machine learning on your own machine. Everything stays in the data folder below.</p>
      <dl className="about-facts">
        <dt>Data folder</dt>
        <dd className="mono">{info.home}</dd>
        <dt>Running as</dt>
        <dd>
          {info.host === 'desktop' ? 'Desktop app' : info.host === 'browser' ? 'Browser UI (cairn ui)' : 'Command line'}
        </dd>
        <dt>Training backend</dt>
        <dd>
          <strong>{info.backend.name}</strong>
          <ul className="backend-tries">
            {info.backend.tried.map((t) => (
              <li key={t.name} className={t.ok ? 'ok' : 'failed'}>
                <span className="mono">{t.name}</span> {t.ok ? 'loaded' : `unavailable${t.error ? `: ${t.error}` : ''}`}
              </li>
            ))}
          </ul>
        </dd>
        <dt>Electron</dt>
        <dd>
          {info.electron.present
            ? (info.electron.version ?? 'present')
            : 'not installed (browser UI and CLI still work)'}
        </dd>
      </dl>
      <h2>Components</h2>
      <table className="about-versions">
        <tbody>
          {Object.entries(info.versions).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td className="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
