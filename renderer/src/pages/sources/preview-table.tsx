// The first rows a source reads, under column names with the source's own type names (int4,
// varchar, DECIMAL...), so the user sees what the query returns before anything is imported.
import type { SourcePreview } from '../../../../shared/api.js';

export function PreviewTable({ preview }: { preview: SourcePreview }) {
  return (
    // Focusable, so the rows can be scrolled from the keyboard.
    <div className="source-preview-scroll" tabIndex={0} role="region" aria-label="Preview of the first rows">
      <table className="versions-table source-preview" data-testid="source-preview" data-rows={preview.rows.length}>
        <thead>
          <tr>
            {preview.columns.map((c) => (
              <th key={c.name} scope="col">
                <span className="source-preview-name">{c.name}</span>
                <span className="source-preview-type mono" data-testid="source-preview-type">
                  {c.type}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, i) => (
            <tr key={i} data-testid="source-preview-row">
              {preview.columns.map((c, j) => (
                <td key={c.name} className={row[j] === null || row[j] === undefined ? 'muted' : 'mono'}>
                  {previewCell(row[j])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {preview.rows.length === 0 && <p className="muted small">The source returns no rows.</p>}
    </div>
  );
}

/** A preview cell as text: null as "null", objects and arrays as JSON. */
export function previewCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}
