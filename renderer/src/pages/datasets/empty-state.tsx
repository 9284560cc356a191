import { FileButton } from '../../components/file-button.js';

/** First run: say what Cairn takes and the two ways to give it. */
export function EmptyState({ onFiles }: { onFiles: (files: File[]) => void }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <div className="empty-card">
        <div className="empty-icon" aria-hidden="true">
          ⇩
        </div>
        <h1>Import your first dataset</h1>
        <p>
          Drag a <strong>CSV</strong>, <strong>TSV</strong>, <strong>JSON</strong>/<strong>NDJSON</strong> or <strong>Parquet</strong> file onto
          this window, or choose one.
        </p>
        <FileButton onFiles={onFiles} testId="empty-import" />
        <p className="muted small">
          Each import becomes an immutable version. Importing the same content again creates nothing new; a changed file under the same name
          becomes the next version.
        </p>
      </div>
    </div>
  );
}
