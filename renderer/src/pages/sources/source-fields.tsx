// The fields of a source's form for its kind: where it reads (a database's host, port, database
// and user; a SQLite file; a URL; an S3 bucket, key, endpoint and region), the password's place
// and the query. Each bad field's message is shown beside it. Shared by "Add source" and the
// source page's Edit; the password field is never pre-filled.
import { QUERY_KINDS } from '../../../../shared/api.js';
import { CheckField } from '../../components/check-field.js';
import { SqliteFileButton } from './sqlite-file-button.js';
import { hasSecret, secretLabel, type SourceField, type SourceForm } from './source-form.js';

interface SourceFieldsProps {
  form: SourceForm;
  set: <K extends SourceField>(key: K, value: SourceForm[K]) => void;
  /** The message to show beside a field, if any. */
  errorOf: (field: SourceField) => string | undefined;
  /** Editing a saved source: an empty password keeps the stored one. */
  editing?: boolean;
  /** A chosen SQLite file could not be handed over (an upload failed). */
  onFileError?: (message: string) => void;
}

export function SourceFields({ form, set, errorOf, editing, onFileError = () => undefined }: SourceFieldsProps) {
  const text = (field: SourceField, label: string, props: TextProps = {}) => (
    <SourceTextField field={field} label={label} form={form} set={set} error={errorOf(field)} {...props} />
  );

  return (
    <>
      <div className="source-grid">
        {(form.kind === 'postgres' || form.kind === 'mysql') && (
          <>
            {text('host', 'Host', { placeholder: 'db.example.com' })}
            {text('port', 'Port')}
            {text('database', 'Database')}
            {text('user', 'User')}
          </>
        )}
        {form.kind === 'sqlite' && (
          <>
            {text('path', 'SQLite file (its path where Cairn runs, or choose it)', {
              placeholder: '/data/shop.sqlite',
              className: 'span-3',
              mono: true,
            })}
            <SqliteFileButton onPath={(p) => set('path', p)} onError={onFileError} />
          </>
        )}
        {form.kind === 'url' && (
          <>
            {text('url', 'URL of a CSV, Parquet or JSON file', {
              placeholder: 'https://example.com/data.csv',
              className: 'span-3',
              mono: true,
            })}
            {text('maxMb', 'Largest download (MB)')}
            <CheckField
              className="check span-4"
              testId="source-allowRedirects"
              checked={form.allowRedirects}
              onChange={(v) => set('allowRedirects', v)}
            >
              Follow a redirect to another host (same-host redirects are always followed)
            </CheckField>
          </>
        )}
        {form.kind === 's3' && (
          <>
            {text('bucket', 'Bucket')}
            {text('key', 'Key or prefix', {
              placeholder: 'exports/2026/ (a prefix reads every part)',
              className: 'span-2',
              mono: true,
            })}
            {text('maxMb', 'Largest download (MB)')}
            {text('endpoint', 'Endpoint (empty for AWS)', {
              placeholder: 'http://127.0.0.1:9000',
              className: 'span-2',
              mono: true,
            })}
            {text('region', 'Region', { placeholder: 'us-east-1' })}
            {text('accessKeyId', 'Access key id', { mono: true })}
          </>
        )}
      </div>
      {hasSecret(form.kind) && <SecretFields form={form} set={set} errorOf={errorOf} editing={editing} />}
      {QUERY_KINDS.includes(form.kind) && (
        <label className="field source-query">
          <span className="field-label">Query (its result becomes the dataset; run read-only)</span>
          <textarea
            aria-label="Query"
            data-testid="source-query"
            className="mono"
            rows={4}
            value={form.query}
            placeholder="SELECT * FROM orders"
            aria-invalid={errorOf('query') ? true : undefined}
            spellCheck={false}
            onChange={(e) => set('query', e.target.value)}
          />
          <FieldError field="query" message={errorOf('query')} />
        </label>
      )}
    </>
  );
}

/** The password's place: none, typed (stored, never shown again), or an environment variable's name. */
function SecretFields({ form, set, errorOf, editing }: SourceFieldsProps) {
  const label = secretLabel(form.kind);
  return (
    <fieldset className="source-secret" data-testid="source-secret">
      <legend>{label}</legend>
      <div className="source-secret-modes" role="radiogroup" aria-label={`${label} from`}>
        <label>
          <input
            type="radio"
            name="password-mode"
            value="store"
            data-testid="password-mode-store"
            checked={form.passwordMode === 'store'}
            onChange={() => set('passwordMode', 'store')}
          />
          Store it{' '}
          {editing
            ? '(type a new one, or leave empty to keep the stored one)'
            : '(in the app’s secret store, never in app.db)'}
        </label>
        <label>
          <input
            type="radio"
            name="password-mode"
            value="env"
            data-testid="password-mode-env"
            checked={form.passwordMode === 'env'}
            onChange={() => set('passwordMode', 'env')}
          />
          Read it from an environment variable
        </label>
        {form.kind === 's3' && (
          <label>
            <input
              type="radio"
              name="password-mode"
              value="none"
              data-testid="password-mode-none"
              checked={form.passwordMode === 'none'}
              onChange={() => set('passwordMode', 'none')}
            />
            None (a public bucket)
          </label>
        )}
      </div>
      {form.passwordMode === 'store' && (
        <SourceTextField
          field="password"
          label={label}
          secret
          placeholder={editing ? 'unchanged' : undefined}
          className="source-secret-value"
          form={form}
          set={set}
          error={errorOf('password')}
        />
      )}
      {form.passwordMode === 'env' && (
        <SourceTextField
          field="passwordEnv"
          label="Variable name (read when the source is used, by the app, `cairn ui` or the CLI)"
          ariaLabel="Environment variable"
          placeholder="PGPASSWORD"
          mono
          className="source-secret-value"
          form={form}
          set={set}
          error={errorOf('passwordEnv')}
        />
      )}
    </fieldset>
  );
}

interface TextProps {
  placeholder?: string | undefined;
  /** A password: typed unseen, never offered by the browser's autofill. */
  secret?: boolean;
  className?: string;
  mono?: boolean;
  /** The input's accessible name, where the label's words are not enough. */
  ariaLabel?: string;
}

/** One text field of the form under its label, with its error beside it. */
export function SourceTextField({
  field,
  label,
  form,
  set,
  error,
  placeholder,
  className,
  mono,
  ariaLabel,
  secret,
}: TextProps & {
  field: SourceField;
  label: string;
  form: SourceForm;
  set: SourceFieldsProps['set'];
  error: string | undefined;
}) {
  return (
    <label className={`field${className ? ` ${className}` : ''}`}>
      <span className="field-label">{label}</span>
      <input
        {...(secret ? { type: 'password', autoComplete: 'new-password' } : {})}
        aria-label={ariaLabel ?? label}
        data-testid={`source-${field}`}
        className={mono ? 'mono' : undefined}
        value={String(form[field])}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        spellCheck={false}
        onChange={(e) => set(field, e.target.value as SourceForm[typeof field])}
      />
      <FieldError field={field} message={error} />
    </label>
  );
}

function FieldError({ field, message }: { field: SourceField; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="field-error" role="alert" data-testid={`source-error-${field}`}>
      {message}
    </span>
  );
}
