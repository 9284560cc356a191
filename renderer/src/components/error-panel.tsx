// How a failure reads everywhere: the engine's message (which names the file and, where known,
// the line), the error code for support, and for malformed rows the list of lines.
import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error.js';

interface BadLine {
  line: number;
  reason: string;
}

/** The malformed lines a bad_rows error carries, if any. */
export function badLines(error: ApiError): BadLine[] {
  const lines = error.details?.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((l: unknown) => {
    const r = l as { line?: unknown; reason?: unknown };
    return typeof r.line === 'number' ? [{ line: r.line, reason: typeof r.reason === 'string' ? r.reason : '' }] : [];
  });
}

interface ErrorPanelProps {
  title: string;
  error: ApiError;
  children?: ReactNode;
}

export function ErrorPanel({ title, error, children }: ErrorPanelProps) {
  const lines = error.code === 'bad_rows' ? badLines(error) : [];
  const count = typeof error.details?.count === 'number' ? error.details.count : lines.length;
  const line = typeof error.details?.line === 'number' ? error.details.line : undefined;
  return (
    <div className="error-panel" role="alert" data-testid="error-panel" data-code={error.code}>
      <div className="error-title">
        <span className="error-icon" aria-hidden="true">
          !
        </span>
        {title}
        <code className="error-code">{error.code}</code>
      </div>
      <p className="error-message" data-testid="error-message">
        {error.message}
      </p>
      {line !== undefined && !error.message.includes(`line ${line}`) && <p className="error-where">at line {line}</p>}
      {lines.length > 0 && (
        <div className="bad-lines">
          <div className="bad-lines-head">
            {count} malformed row{count === 1 ? '' : 's'}
            {count > lines.length ? ` (first ${lines.length} shown)` : ''}
          </div>
          <ul data-testid="bad-lines">
            {lines.map((l) => (
              <li key={l.line}>
                <span className="bad-line-no">line {l.line}</span> {l.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {children && <div className="error-actions">{children}</div>}
    </div>
  );
}
