// One generated input per parameter field type (shared/pipeline.ts ParamField): numbers, lines,
// SQL and expressions, switches, choices, lists, column and dataset pickers (free text with
// suggestions: a column is known for sure only once upstream has run), and lists of records.
import { useEffect, useId, useState } from 'react';
import type { ParamField, PipelineIssue } from '../../../../shared/pipeline.js';
import { fieldIssues, fieldVisible, newListItem, numberValue, textValue } from './param-form.js';

export interface FieldContext {
  /** Columns of the node's input table, when known. */
  columns: readonly string[] | undefined;
  /** Dataset names of the data folder. */
  datasets: readonly string[];
  /** Values to offer per field name where the node knows them (a dataset step: its dataset's versions). */
  suggestions?: Readonly<Record<string, readonly string[]>>;
}

interface FieldProps {
  field: ParamField;
  value: unknown;
  /** `typing`: part of a run of keystrokes, which make one undo step. */
  onChange: (value: unknown, typing: boolean) => void;
  issues: readonly PipelineIssue[];
  ctx: FieldContext;
  testId: string;
  /** The field's path in params, for matching issues of list items (e.g. rules.0). */
  path: string;
  /** The params the field sits in (the node's, or a list item's): what a JSON field's example is made for. */
  siblings?: Readonly<Record<string, unknown>>;
}

/** A parameter with its label, description, input and the issues that name it. */
export function ParamFieldView(props: FieldProps) {
  const { field, issues, testId, path } = props;
  const id = useId();
  const mine = fieldIssues(issues, path);
  const inline = field.type === 'boolean';
  return (
    <div
      className={`param-field${mine.length ? ' invalid' : ''}${inline ? ' param-inline' : ''}`}
      data-testid={`field-${testId}`}
    >
      {inline ? (
        <label className="param-check">
          <FieldInput {...props} id={id} />
          <span>{field.label}</span>
        </label>
      ) : (
        <>
          <label htmlFor={id} className="param-label">
            {field.label}
            {field.required && (
              <span className="param-required" aria-hidden="true">
                {' '}
                *
              </span>
            )}
          </label>
          <FieldInput {...props} id={id} />
        </>
      )}
      {field.description && <p className="param-help">{field.description}</p>}
      {mine.map((i, n) => (
        <p key={n} className="param-error" role="alert" data-testid={`error-${testId}`}>
          {i.field && i.field !== path ? `${i.field.slice(path.length + 1)}: ` : ''}
          {i.message}
        </p>
      ))}
    </div>
  );
}

/** Text kept as typed while it is being edited, reset when the value changes from elsewhere (undo). */
function useText(value: unknown, toText: (v: unknown) => string): [string, (t: string) => void] {
  const external = toText(value);
  const [text, setText] = useState(external);
  const [was, setWas] = useState(external);
  if (external !== was) {
    setWas(external);
    setText(external);
  }
  return [text, setText];
}

/** A scalar param as a text box's content; anything else (a malformed file's object) shows as JSON to fix. */
const asText = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : v === undefined || v === null
        ? ''
        : JSON.stringify(v);

function FieldInput({ id, ...props }: FieldProps & { id: string }) {
  const { field, value, onChange, ctx, testId, issues, path } = props;
  const listId = useId();
  const [text, setText] = useText(value, asText);
  /** A keystroke in a text box: the text stays as typed, the param gets its value. */
  const typeText = (t: string) => {
    setText(t);
    onChange(textValue(field, t), true);
  };
  const common = {
    id,
    'data-testid': `param-${testId}`,
    'aria-invalid': fieldIssues(issues, path).length > 0,
  } as const;
  switch (field.type) {
    case 'number':
    case 'integer': {
      const offered = ctx.suggestions?.[field.name];
      return (
        <>
          <input
            {...common}
            type="number"
            value={text}
            list={offered?.length ? listId : undefined}
            min={field.min}
            max={field.max}
            step={field.step ?? (field.type === 'integer' ? 1 : 'any')}
            placeholder={field.default !== undefined ? String(field.default) : 'empty'}
            onChange={(e) => {
              setText(e.target.value);
              onChange(numberValue(e.target.value), true);
            }}
          />
          <Suggestions id={listId} values={offered} />
        </>
      );
    }
    case 'string': {
      if (field.format === 'sql') {
        return (
          <textarea
            {...common}
            className="mono"
            rows={6}
            value={text}
            spellCheck={false}
            onChange={(e) => typeText(e.target.value)}
            placeholder={field.placeholder}
          />
        );
      }
      // A name the step knows values for (a dataset step's source: the saved sources) offers them.
      const offered = ctx.suggestions?.[field.name];
      return (
        <>
          <input
            {...common}
            className={field.format === 'expression' ? 'mono' : undefined}
            value={text}
            maxLength={field.maxLength}
            list={offered?.length ? listId : undefined}
            autoComplete={offered?.length ? 'off' : undefined}
            spellCheck={field.format !== 'expression'}
            placeholder={field.placeholder}
            onChange={(e) => typeText(e.target.value)}
          />
          <Suggestions id={listId} values={offered} />
        </>
      );
    }
    case 'column':
    case 'dataset': {
      const options = field.type === 'column' ? ctx.columns : ctx.datasets;
      return (
        <>
          <input
            {...common}
            className="mono"
            value={text}
            list={options?.length ? listId : undefined}
            autoComplete="off"
            spellCheck={false}
            placeholder={
              field.type === 'column'
                ? options?.length
                  ? 'choose a column'
                  : 'column name'
                : 'dataset name or file path'
            }
            onChange={(e) => typeText(e.target.value)}
          />
          <Suggestions id={listId} values={options} />
        </>
      );
    }
    case 'boolean':
      return (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked, false)}
        />
      );
    case 'enum':
      return (
        <select
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value, false)}
        >
          {typeof value !== 'string' && <option value="">choose…</option>}
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'string-list':
    case 'column-list':
      return <StringList {...props} field={field} />;
    case 'object-list':
      return <ObjectList {...props} field={field} />;
    case 'json':
      return <JsonInput {...props} field={field} common={common} />;
  }
}

/** Compact JSON of a value, to tell a change from elsewhere (undo, another field) from one typed here. */
const jsonKey = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v));

/** A value as JSON on one line, spaced as a person writes it: { "type": "log", "min": 0.01 }. */
function inlineJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inlineJson).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${inlineJson(x)}`)
      .join(', ')} }`;
  return JSON.stringify(v);
}

/** A value as the JSON box shows it: an object one entry a line (a space: one parameter a line), else one line. */
function prettyJson(v: unknown): string {
  if (v === undefined) return '';
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return inlineJson(v);
  const lines = Object.entries(v).map(([k, x]) => `  ${JSON.stringify(k)}: ${inlineJson(x)}`);
  return lines.length ? `{\n${lines.join(',\n')}\n}` : '{}';
}

/**
 * A structured value typed as JSON (a sweep's search space). The text stays as typed; the param
 * takes each text that parses, and the zod schema's errors come back as the field's issues. An
 * empty box leaves the param out (the example, e.g. the model's default space, is what it means),
 * and the example can be copied in to edit.
 */
function JsonInput({
  field,
  value,
  onChange,
  siblings,
  testId,
  common,
}: Omit<FieldProps, 'field' | 'issues' | 'ctx' | 'path'> & {
  field: Extract<ParamField, { type: 'json' }>;
  common: { id: string; 'data-testid': string; 'aria-invalid': boolean };
}) {
  const [text, setText] = useState(() => prettyJson(value));
  const [seen, setSeen] = useState(() => jsonKey(value));
  const [syntax, setSyntax] = useState<string>();
  if (jsonKey(value) !== seen) {
    setSeen(jsonKey(value));
    setText(prettyJson(value));
    setSyntax(undefined);
  }
  const example = field.example?.(siblings ?? {});
  const type = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      setSyntax(undefined);
      setSeen('');
      onChange(undefined, true);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(t);
      setSyntax(undefined);
      setSeen(jsonKey(parsed));
      onChange(parsed, true);
    } catch (err) {
      setSyntax(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <textarea
        {...common}
        aria-invalid={common['aria-invalid'] || syntax !== undefined}
        className="mono"
        rows={Math.min(16, Math.max(6, (text || prettyJson(example)).split('\n').length))}
        value={text}
        spellCheck={false}
        placeholder={example === undefined ? undefined : prettyJson(example)}
        onChange={(e) => type(e.target.value)}
      />
      {syntax !== undefined && (
        <p className="param-error" role="alert" data-testid={`error-${testId}`}>
          Not JSON yet ({syntax}): the step keeps the last text that was, and the checks below are of it.
        </p>
      )}
      {example !== undefined && text.trim() === '' && (
        <div>
          <button
            type="button"
            className="btn btn-small"
            data-testid={`param-${testId}-example`}
            onClick={() => type(prettyJson(example))}
          >
            Edit a copy of the default
          </button>
        </div>
      )}
    </>
  );
}

/** The values a text or number box offers as you type (its `list`), when there are any. */
function Suggestions({ id, values }: { id: string; values: readonly (string | number)[] | undefined }) {
  if (!values?.length) return null;
  return (
    <datalist id={id}>
      {values.map((v) => (
        <option key={v} value={v} />
      ))}
    </datalist>
  );
}

function StringList({
  field,
  value,
  onChange,
  ctx,
  testId,
  issues,
  path,
}: Omit<FieldProps, 'field'> & { field: Extract<ParamField, { type: 'string-list' | 'column-list' }> }) {
  const listId = useId();
  const items = Array.isArray(value) ? value.map(asText) : [];
  const [focusLast, setFocusLast] = useState(false);
  useEffect(() => setFocusLast(false), [items.length]);
  const set = (next: string[], typing: boolean) => onChange(next, typing);
  const columns = field.type === 'column-list' ? ctx.columns : undefined;
  return (
    <div className="param-list">
      {items.map((item, i) => (
        <div key={i} className={`param-list-row${fieldIssues(issues, `${path}.${i}`).length ? ' invalid' : ''}`}>
          <input
            className="mono"
            value={item}
            autoFocus={focusLast && i === items.length - 1}
            list={columns?.length ? listId : undefined}
            autoComplete="off"
            spellCheck={false}
            placeholder={field.type === 'string-list' ? field.placeholder : 'column name'}
            data-testid={`param-${testId}-${i}`}
            onChange={(e) =>
              set(
                items.map((x, j) => (j === i ? e.target.value : x)),
                true,
              )
            }
          />
          <button
            type="button"
            className="btn btn-small btn-ghost"
            aria-label={`Remove ${item || 'item'}`}
            onClick={() =>
              set(
                items.filter((_, j) => j !== i),
                false,
              )
            }
          >
            ×
          </button>
        </div>
      ))}
      {columns && columns.length > 0 && (
        <datalist id={listId}>
          {columns
            .filter((c) => !items.includes(c))
            .map((c) => (
              <option key={c} value={c} />
            ))}
        </datalist>
      )}
      <button
        type="button"
        className="btn btn-small"
        data-testid={`param-${testId}-add`}
        onClick={() => {
          setFocusLast(true);
          set([...items, ''], false);
        }}
      >
        + Add {field.type === 'column-list' ? 'column' : field.label.toLowerCase().replace(/s$/, '')}
      </button>
    </div>
  );
}

function ObjectList({
  field,
  value,
  onChange,
  ctx,
  testId,
  issues,
  path,
}: Omit<FieldProps, 'field'> & { field: Extract<ParamField, { type: 'object-list' }> }) {
  const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const set = (next: Record<string, unknown>[], typing: boolean) => onChange(next, typing);
  return (
    <div className="param-records">
      {items.map((item, i) => (
        <fieldset key={i} className="param-record">
          <legend className="sr-only">
            {field.label} {i + 1}
          </legend>
          {field.fields
            .filter((sub) => fieldVisible(sub, field.fields, item))
            .map((sub) => (
              <ParamFieldView
                key={sub.name}
                field={sub}
                value={item[sub.name] ?? sub.default}
                onChange={(v, typing) => {
                  const next = { ...item };
                  if (v === undefined) delete next[sub.name];
                  else next[sub.name] = v;
                  set(
                    items.map((x, j) => (j === i ? next : x)),
                    typing,
                  );
                }}
                issues={issues}
                ctx={ctx}
                testId={`${testId}-${i}-${sub.name}`}
                path={`${path}.${i}.${sub.name}`}
                siblings={item}
              />
            ))}
          <button
            type="button"
            className="btn btn-small btn-ghost param-record-remove"
            onClick={() =>
              set(
                items.filter((_, j) => j !== i),
                false,
              )
            }
          >
            Remove
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="btn btn-small"
        data-testid={`param-${testId}-add`}
        onClick={() => set([...items, newListItem(field.fields)], false)}
      >
        + Add
      </button>
    </div>
  );
}
