// The "Add source" and edit forms as plain data: one set of fields per kind (a database's host,
// port, database and user; a SQLite file; a URL; an S3 bucket and key), the password's place
// (stored, or read from an environment variable at each use), and the check that turns them into
// the contract's draft, naming each bad field. The URL is assembled here without the password, so
// a secret only ever travels in the draft's `password`, which the engine moves to its secret store.
import {
  DEFAULT_SOURCE_MAX_BYTES,
  EnvName,
  QUERY_KINDS,
  SourceName,
  type Source,
  type SourceAddRequest,
  type SourceDraft,
  type SourceKindName,
  type SourceUpdateRequest,
} from '../../../../shared/api.js';

/** Where the password comes from: none, typed and kept in the secret store, or an environment variable. */
export type PasswordMode = 'none' | 'store' | 'env';

export interface SourceForm {
  kind: SourceKindName;
  name: string;
  /** The dataset it feeds; the source's name when empty. */
  dataset: string;
  host: string;
  port: string;
  database: string;
  user: string;
  /** sqlite: the file's path. */
  path: string;
  /** url: the file's address. */
  url: string;
  allowRedirects: boolean;
  /** url and s3: the largest download, in MB as typed. */
  maxMb: string;
  bucket: string;
  key: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  query: string;
  passwordMode: PasswordMode;
  password: string;
  passwordEnv: string;
  /** A cron schedule; none when empty. */
  schedule: string;
}

export type SourceField = keyof SourceForm;

export const KIND_LABELS: Record<SourceKindName, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL / MariaDB',
  sqlite: 'SQLite file',
  url: 'URL (CSV, Parquet, JSON)',
  s3: 'S3 object storage',
};

const DEFAULT_PORTS: Partial<Record<SourceKindName, string>> = { postgres: '5432', mysql: '3306' };
const DEFAULT_ENV: Partial<Record<SourceKindName, string>> = {
  postgres: 'PGPASSWORD',
  mysql: 'MYSQL_PWD',
  s3: 'AWS_SECRET_ACCESS_KEY',
};
const MB = 1024 * 1024;

export function emptySourceForm(kind: SourceKindName = 'postgres'): SourceForm {
  return {
    kind,
    name: '',
    dataset: '',
    host: '127.0.0.1',
    port: DEFAULT_PORTS[kind] ?? '',
    database: '',
    user: '',
    path: '',
    url: '',
    allowRedirects: false,
    maxMb: String(Math.round(DEFAULT_SOURCE_MAX_BYTES / MB)),
    bucket: '',
    key: '',
    endpoint: '',
    region: '',
    accessKeyId: '',
    query: '',
    passwordMode: kind === 'postgres' || kind === 'mysql' ? 'store' : 'none',
    password: '',
    passwordEnv: DEFAULT_ENV[kind] ?? '',
    schedule: '',
  };
}

/** The form on another kind: what both kinds share (name, dataset, schedule, query) is kept. */
export function withKind(form: SourceForm, kind: SourceKindName): SourceForm {
  const fresh = emptySourceForm(kind);
  return {
    ...fresh,
    name: form.name,
    dataset: form.dataset,
    schedule: form.schedule,
    query: QUERY_KINDS.includes(kind) ? form.query : '',
    host: form.host,
    user: form.user,
    database: form.database,
  };
}

/** Whether the kind takes a password (or an S3 secret key). */
export function hasSecret(kind: SourceKindName): boolean {
  return kind === 'postgres' || kind === 'mysql' || kind === 's3';
}

/** The word for the secret on this kind's form. */
export function secretLabel(kind: SourceKindName): string {
  return kind === 's3' ? 'Secret access key' : 'Password';
}

export interface CheckedSourceForm {
  /** Each bad field's message, by field. */
  errors: Partial<Record<SourceField, string>>;
  /** What Test connection and Preview send; undefined while a field that reaches the source is bad. */
  draft?: SourceDraft;
  /** What Import sends; undefined while any field is bad. */
  request?: SourceAddRequest;
}

const FIELD_HOST = /^[A-Za-z0-9._~:[\]-]+$/;

/**
 * Checks the form and builds the draft and add request, naming every bad field. `storedSecret`:
 * the source being edited has a stored password, which an empty password field keeps.
 */
export function checkSourceForm(form: SourceForm, storedSecret = false): CheckedSourceForm {
  const errors: Partial<Record<SourceField, string>> = {};
  const required = (field: SourceField, what: string) => {
    if (String(form[field]).trim() === '') errors[field] = `${what} is needed`;
  };
  const url = sourceUrl(form, errors, required);
  const queryKind = QUERY_KINDS.includes(form.kind);
  if (queryKind) required('query', 'a query');
  const maxBytes = form.kind === 'url' || form.kind === 's3' ? checkedMaxBytes(form.maxMb, errors) : undefined;
  if (hasSecret(form.kind) && form.passwordMode === 'store' && form.password === '' && !storedSecret)
    errors.password = `type the ${secretLabel(form.kind).toLowerCase()}, or read it from an environment variable`;
  if (hasSecret(form.kind) && form.passwordMode === 'env') {
    const env = EnvName.safeParse(form.passwordEnv.trim());
    if (!env.success) errors.passwordEnv = env.error.issues[0]?.message ?? 'not an environment variable name';
  }
  const draftOk = Object.keys(errors).length === 0 && url !== undefined;

  const name = SourceName.safeParse(form.name);
  if (form.name.trim() === '') errors.name = 'a name is needed';
  else if (!name.success) errors.name = name.error.issues[0]?.message ?? 'not a valid name';
  if (form.dataset.trim().length > 200) errors.dataset = 'at most 200 characters';

  if (!draftOk || url === undefined) return { errors };
  const draft: SourceDraft = {
    kind: form.kind,
    url,
    ...(queryKind ? { query: form.query.trim() } : {}),
    ...secretOf(form),
    ...(form.kind === 'url' ? { allowRedirects: form.allowRedirects } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
  };
  if (Object.keys(errors).length > 0 || !name.success) return { errors, draft };
  return {
    errors,
    draft,
    request: {
      ...draft,
      name: name.data,
      ...(form.dataset.trim() ? { dataset: form.dataset.trim() } : {}),
      ...(form.schedule.trim() ? { schedule: form.schedule.trim() } : {}),
    },
  };
}

function secretOf(form: SourceForm): Pick<SourceDraft, 'password' | 'passwordEnv'> {
  if (!hasSecret(form.kind)) return {};
  if (form.passwordMode === 'store') return form.password === '' ? {} : { password: form.password };
  if (form.passwordMode === 'env') return { passwordEnv: form.passwordEnv.trim() };
  return {};
}

function checkedMaxBytes(text: string, errors: CheckedSourceForm['errors']): number | undefined {
  const mb = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(mb) || mb <= 0) {
    errors.maxMb = 'a size in MB above 0';
    return undefined;
  }
  return Math.max(1, Math.round(mb * MB));
}

/** The kind's URL from its fields (never with a password), or undefined with the fields' errors set. */
function sourceUrl(
  form: SourceForm,
  errors: CheckedSourceForm['errors'],
  required: (field: SourceField, what: string) => void,
): string | undefined {
  const before = Object.keys(errors).length;
  switch (form.kind) {
    case 'postgres':
    case 'mysql': {
      required('host', 'a host');
      if (form.host.trim() && !FIELD_HOST.test(form.host.trim())) errors.host = 'a host name or IP address';
      const port = Number(form.port.trim());
      if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'a port from 1 to 65535';
      required('database', 'a database');
      required('user', 'a user');
      if (Object.keys(errors).length > before) return undefined;
      const host =
        form.host.trim().includes(':') && !form.host.trim().startsWith('[')
          ? `[${form.host.trim()}]`
          : form.host.trim();
      return `${form.kind}://${encodeURIComponent(form.user.trim())}@${host}:${port}/${encodeURIComponent(form.database.trim())}`;
    }
    case 'sqlite':
      required('path', 'the file’s path');
      return errors.path ? undefined : form.path.trim();
    case 'url': {
      required('url', 'a URL');
      const u = form.url.trim();
      if (u && !/^https?:\/\/[^/\s]+/i.test(u))
        errors.url = 'an http:// or https:// address, e.g. https://host/data.csv';
      else if (u && /^https?:\/\/[^/@]*:[^/@]*@/i.test(u))
        errors.url = 'no password in the URL: a file behind a login is not supported here';
      return errors.url ? undefined : u;
    }
    case 's3': {
      required('bucket', 'a bucket');
      if (form.bucket.trim() && !/^[a-z0-9][a-z0-9.-]{1,62}$/.test(form.bucket.trim()))
        errors.bucket = 'lower-case letters, digits, dots and hyphens (3 to 63)';
      const endpoint = form.endpoint.trim();
      if (endpoint && !/^https?:\/\/[^/\s]+/i.test(endpoint)) errors.endpoint = 'an http:// or https:// address';
      if (form.passwordMode !== 'none' && form.accessKeyId.trim() === '')
        errors.accessKeyId = 'an access key id goes with the secret key';
      if (Object.keys(errors).length > before) return undefined;
      const params = new URLSearchParams();
      if (endpoint) params.set('endpoint', endpoint);
      if (form.region.trim()) params.set('region', form.region.trim());
      const user = form.accessKeyId.trim() ? `${encodeURIComponent(form.accessKeyId.trim())}@` : '';
      const key = form.key.trim().replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
      const query = params.toString() ? `?${params.toString()}` : '';
      return `s3://${user}${form.bucket.trim()}/${key}${query}`;
    }
  }
}

/**
 * The change from a saved source to the edited form, as sources.update takes it: only what differs,
 * the schedule `null` when cleared, the password `null` when the source no longer has one.
 */
export function updateOf(source: Source, form: SourceForm): SourceUpdateRequest | undefined {
  const checked = checkSourceForm(form, source.secretRef === 'stored');
  const request = checked.request;
  if (!request) return undefined;
  const update: SourceUpdateRequest = { name: source.id };
  if (request.name !== source.name) update.rename = request.name;
  if (request.url !== source.url) update.url = request.url;
  if (request.query !== undefined && request.query !== source.query) update.query = request.query;
  const schedule = request.schedule ?? null;
  if (schedule !== source.schedule) update.schedule = schedule;
  if (request.password !== undefined) update.password = request.password;
  else if (request.passwordEnv !== undefined && `$${request.passwordEnv}` !== source.secretRef)
    update.passwordEnv = request.passwordEnv;
  else if (form.passwordMode === 'none' && source.secretRef !== null) update.password = null;
  if (request.allowRedirects !== undefined && request.allowRedirects !== source.allowRedirects)
    update.allowRedirects = request.allowRedirects;
  if (request.maxBytes !== undefined && request.maxBytes !== source.maxBytes) update.maxBytes = request.maxBytes;
  return update;
}

/** A saved source's fields back in the form (for editing): the password is never there. */
export function formOfSource(source: Source): SourceForm {
  const form: SourceForm = {
    ...emptySourceForm(source.kind),
    name: source.name,
    dataset: source.dataset,
    query: source.query ?? '',
    schedule: source.schedule ?? '',
    allowRedirects: source.allowRedirects,
    maxMb: String(Math.round((source.maxBytes / MB) * 1000) / 1000),
    passwordMode: source.secretRef === null ? 'none' : source.secretRef.startsWith('$') ? 'env' : 'store',
    passwordEnv: source.secretRef?.startsWith('$') ? source.secretRef.slice(1) : (DEFAULT_ENV[source.kind] ?? ''),
  };
  switch (source.kind) {
    case 'sqlite':
      return { ...form, path: source.url };
    case 'url':
      return { ...form, url: source.url };
    case 'postgres':
    case 'mysql': {
      const u = parsed(source.url);
      if (!u) return form;
      return {
        ...form,
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port || form.port,
        database: decode(u.pathname.replace(/^\//, '')),
        user: decode(u.username),
      };
    }
    case 's3': {
      const u = parsed(source.url);
      if (!u) return form;
      return {
        ...form,
        bucket: u.hostname,
        key: decode(u.pathname.replace(/^\//, '')),
        endpoint: u.searchParams.get('endpoint') ?? '',
        region: u.searchParams.get('region') ?? '',
        accessKeyId: decode(u.username),
      };
    }
  }
}

function parsed(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A source's URL as shown: a password it has reads `***` after the user name. */
export function maskedUrl(source: Pick<Source, 'url' | 'secretRef' | 'kind'>): string {
  if (source.secretRef === null || source.kind === 'sqlite' || source.kind === 'url') return source.url;
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i.exec(source.url);
  if (!m) return source.url;
  return `${m[1]}${m[2]}:***@${source.url.slice(m[0].length)}`;
}

/** Where a source's password comes from, in words. */
export function secretWhere(source: Pick<Source, 'secretRef' | 'kind'>): string {
  if (source.secretRef === null) return 'none';
  if (source.secretRef.startsWith('$'))
    return `read from the environment variable ${source.secretRef.slice(1)} at each use`;
  return 'stored in the app’s secret store (never in app.db)';
}

/** The form's field an engine error names in its details (`field: 'url'` means the kind's own address fields). */
export function fieldOfError(kind: SourceKindName, field: unknown): SourceField | undefined {
  if (field === 'url') return kind === 'sqlite' ? 'path' : kind === 'url' ? 'url' : kind === 's3' ? 'bucket' : 'host';
  if (field === 'query' || field === 'schedule' || field === 'name' || field === 'dataset') return field;
  if (field === 'password') return 'password';
  return undefined;
}
