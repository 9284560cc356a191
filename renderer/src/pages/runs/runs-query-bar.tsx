// The query box above the runs list: a query in the runs query language (shared/run-query/),
// checked by the same parser the engine runs a moment after each keystroke, its error shown with
// the place it points at; the list follows each query that reads. Beside it, the field to group by.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { QUERY_FIELDS, runQueryError, type QueryField, type RunQueryError } from '../../../../shared/run-query.js';

/** A pause in typing this long checks the query, and applies it if it reads. */
const CHECK_AFTER_MS = 250;

/** Fields worth grouping by: those runs share values of (not ids or times). */
const GROUP_FIELDS: readonly QueryField[] = [...QUERY_FIELDS.values()].filter(
  (f) =>
    (f.source.kind === 'column' && !['id', 'created', 'started', 'finished', 'duration'].includes(f.source.column)) ||
    f.source.kind === 'param',
);

/** The field list the help shows, by where the values come from. */
const FIELD_SECTIONS: readonly { title: string; fields: QueryField[] }[] = [
  { title: 'Run', fields: [...QUERY_FIELDS.values()].filter((f) => f.source.kind === 'column' || f.name === 'seed') },
  {
    title: 'Settings',
    fields: [...QUERY_FIELDS.values()].filter((f) => f.source.kind === 'param' && f.name !== 'seed'),
  },
  { title: 'Scores', fields: [...QUERY_FIELDS.values()].filter((f) => f.source.kind === 'score') },
];

interface RunsQueryBarProps {
  /** The query and grouping the page starts from (the last ones shown). */
  initialQuery: string;
  groupBy: string | null;
  /** A query that reads, after a pause in typing (or Enter); '' keeps every run. */
  onQuery: (query: string) => void;
  onGroupBy: (field: string | null) => void;
}

export function RunsQueryBar({ initialQuery, groupBy, onQuery, onGroupBy }: RunsQueryBarProps) {
  const [text, setText] = useState(initialQuery);
  const [error, setError] = useState<RunQueryError | undefined>(undefined);
  const checked = useRef(initialQuery);
  const input = useRef<HTMLInputElement>(null);

  const check = (value: string) => {
    checked.current = value;
    const err = runQueryError(value);
    setError(err);
    if (!err) onQuery(value.trim());
  };
  // The latest check, for the timer to call without restarting on every render.
  const checkRef = useRef(check);
  checkRef.current = check;

  useEffect(() => {
    if (text === checked.current) return;
    const timer = setTimeout(() => checkRef.current(text), CHECK_AFTER_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') check(text);
    else if (e.key === 'Escape' && text !== '') {
      setText('');
      check('');
    }
  };

  /** Adds a field from the help at the end of the query, and returns to typing. */
  const insert = (name: string) => {
    setText((t) => (t.trim() === '' ? `${name} ` : `${t.trimEnd()} AND ${name} `));
    input.current?.focus();
  };

  const column = error ? Math.min(error.column - 1, text.length) : 0;
  return (
    <div className="runs-query" data-testid="runs-query">
      <div className="runs-query-row">
        <input
          ref={input}
          type="search"
          className="runs-query-input mono"
          placeholder='Query: model = "gbdt" AND (test.accuracy > 0.9 OR params.learningRate < 0.01)'
          aria-label="Query runs"
          aria-invalid={error !== undefined}
          aria-describedby={error ? 'runs-query-error' : undefined}
          spellCheck={false}
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          data-testid="runs-query-input"
        />
        <label className="runs-query-group small">
          Group by
          <select
            className="runs-select"
            value={groupBy ?? ''}
            onChange={(e) => onGroupBy(e.target.value === '' ? null : e.target.value)}
            data-testid="runs-group-by"
          >
            <option value="">No grouping</option>
            {GROUP_FIELDS.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <details className="runs-query-help">
          <summary className="btn btn-small btn-ghost">Fields</summary>
          <div className="runs-query-help-panel small">
            <p className="muted">
              Compare with <code>= != &lt; &lt;= &gt; &gt;=</code>, <code>IN (…)</code>,{' '}
              <code>LIKE &quot;iris%&quot;</code>, <code>CONTAINS &quot;iris&quot;</code>, <code>IS NULL</code>; join
              with <code>AND</code>, <code>OR</code>, <code>NOT</code> and parentheses.
            </p>
            {FIELD_SECTIONS.map((s) => (
              <div key={s.title} className="runs-query-help-section">
                <h4>{s.title}</h4>
                <div className="runs-query-fields">
                  {s.fields.map((f) => (
                    <button
                      key={f.name}
                      type="button"
                      className="btn-link mono"
                      title={f.values ? `${f.description}: ${f.values.join(', ')}` : f.description}
                      onClick={() => insert(f.name)}
                    >
                      {f.name}
                    </button>
                  ))}
                </div>
              </div>
            ))}
          </div>
        </details>
      </div>
      {error && (
        <div
          id="runs-query-error"
          className="runs-query-error small"
          role="alert"
          data-testid="runs-query-error"
          data-column={error.column}
        >
          <span>{error.message}</span>
          <code className="runs-query-where">
            {text.slice(0, column)}
            <mark>{text.slice(column, column + error.length) || ' '}</mark>
            {text.slice(column + error.length)}
          </code>
        </div>
      )}
    </div>
  );
}
