// A refresh under way: a bar (filled by bytes when the size is known, moving otherwise), what it
// is doing in words, and Cancel, which stops it with nothing imported.
import type { SourceRefreshProgress } from '../../../../shared/api.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatBytes, formatCount } from '../../lib/format.js';

interface RefreshProgressProps {
  progress: SourceRefreshProgress | undefined;
  cancelling: boolean;
  onCancel: () => void;
}

export function RefreshProgress({ progress, cancelling, onCancel }: RefreshProgressProps) {
  const fraction =
    progress?.phase === 'reading' && progress.totalBytes && progress.bytes !== undefined
      ? progress.bytes / progress.totalBytes
      : undefined;
  return (
    <div className="refresh-progress" data-testid="refresh-progress" data-phase={progress?.phase ?? 'starting'}>
      <ProgressBar fraction={fraction} label="Refresh progress" />
      <span className="small muted" role="status">
        {describeRefresh(progress)}
      </span>
      <button type="button" className="btn" onClick={onCancel} disabled={cancelling} data-testid="refresh-cancel">
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}

/** One line for a refresh's progress: "Reading · 1.2 MB of 4 MB", "Reading · 120,000 rows", "Importing". */
export function describeRefresh(p: SourceRefreshProgress | undefined): string {
  if (!p) return 'Connecting…';
  if (p.phase === 'importing')
    return `Importing${p.rows !== undefined ? ` ${formatCount(p.rows)} rows` : ''} (profile and content hash)…`;
  const parts = ['Reading'];
  if (p.bytes !== undefined)
    parts.push(p.totalBytes ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : formatBytes(p.bytes));
  if (p.rows !== undefined) parts.push(`${formatCount(p.rows)} rows`);
  return parts.join(' · ');
}
