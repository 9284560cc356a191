// First run: what Cairn takes and the two ways to give it, and the sample datasets it ships, so a
// first model is two clicks away even without a file at hand.
import type { SampleInfo } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { FileButton } from '../../components/file-button.js';
import { EmptyPage } from '../../components/empty-page.js';
import { formatCount } from '../../lib/format.js';
import { FolderButton } from './folder-button.js';
import { useAsync } from '../../lib/use-async.js';

export function EmptyState({ onFiles, onAddSource }: { onFiles: (files: File[]) => void; onAddSource: () => void }) {
  const { client, imports } = useApp();
  const samples = useAsync<SampleInfo[]>(() => client.call('samples.list', {}), [client]);
  return (
    <EmptyPage icon="⇩" title="Import your first dataset" testId="empty-state">
      <p>
        Drag a <strong>CSV</strong>, <strong>TSV</strong>, <strong>JSON</strong>/<strong>NDJSON</strong> or{' '}
        <strong>Parquet</strong> file onto this window, or choose one, or read one from a database, a URL or S3 (
        <strong>Add source</strong>). Pictures come as a folder with one folder per class (dropped on or chosen in the
        desktop app) or a <strong>.zip</strong> of one.
      </p>
      <div className="empty-import-actions">
        <FileButton onFiles={onFiles} testId="empty-import" />
        <FolderButton testId="empty-import-folder" />
        <button type="button" className="btn" onClick={onAddSource} data-testid="empty-add-source">
          Add source…
        </button>
      </div>
      <p className="muted small">
        Each import becomes an immutable version. Importing the same content again creates nothing new; a changed file
        under the same name becomes the next version.
      </p>
      {samples.data && samples.data.length > 0 && (
        <section className="samples" aria-label="Sample datasets" data-testid="samples">
          <h2>Or start from a sample</h2>
          <ul>
            {samples.data.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="sample-card"
                  data-testid={`sample-${s.id}`}
                  onClick={() => imports.startSample(s)}
                  title={`${s.source} · ${s.license}`}
                >
                  <span className="sample-name">{s.name}</span>
                  <span className="sample-desc">{s.description}</span>
                  <span className="sample-meta">
                    {formatCount(s.rows)} rows · {s.columns} columns · predict <strong>{s.target}</strong> ({s.task})
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </EmptyPage>
  );
}
