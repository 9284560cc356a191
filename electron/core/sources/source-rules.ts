// What a source's fields must be, checked before it is saved, tested or previewed: the URL's
// scheme for its kind, a query for the database kinds and none for the others, and one place for
// its secret (in the URL, typed, or an environment variable).
import { QUERY_KINDS, type SourceKindName } from '../../../shared/api/sources.js';
import { CairnError } from '../errors.js';
import { splitUrlSecret } from '../secrets/secret-refs.js';

const SCHEMES: Partial<Record<SourceKindName, RegExp>> = {
  postgres: /^postgres(ql)?:\/\//i,
  mysql: /^(mysql|mariadb):\/\//i,
  url: /^https?:\/\//i,
  s3: /^s3:\/\//i,
};

const EXAMPLES: Record<SourceKindName, string> = {
  postgres: 'postgres://user@host:5432/db',
  mysql: 'mysql://user@host:3306/db',
  sqlite: '/path/to/file.sqlite',
  url: 'https://host/data.csv',
  s3: 's3://bucket/key?endpoint=http://host:9000',
};

export function checkFields(kind: SourceKindName, url: string, query: string | null | undefined): void {
  const scheme = SCHEMES[kind];
  if (scheme && !scheme.test(url))
    throw new CairnError('invalid_argument', `a ${kind} source's URL looks like ${EXAMPLES[kind]}`, { field: 'url' });
  if (kind === 'sqlite' && /^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    throw new CairnError('invalid_argument', `a sqlite source names a file: ${EXAMPLES.sqlite}`, { field: 'url' });
  const needsQuery = QUERY_KINDS.includes(kind);
  if (needsQuery && !query)
    throw new CairnError(
      'invalid_argument',
      `a ${kind} source needs a query (the SQL whose result becomes the dataset)`,
      {
        field: 'query',
      },
    );
  if (!needsQuery && query)
    throw new CairnError('invalid_argument', `a ${kind} source reads a file as it is: it takes no query`, {
      field: 'query',
    });
}

/** Where a new secret comes from: the URL's password, a typed one, or an environment variable (one of them). */
export function secretOfDraft(d: {
  url: string;
  password?: string | null | undefined;
  passwordEnv?: string | undefined;
}): {
  url: string;
  password?: string;
  passwordEnv?: string;
} {
  const split = splitUrlSecret(d.url);
  const given = [split.password, d.password ?? undefined, d.passwordEnv].filter((x) => x !== undefined);
  if (given.length > 1)
    throw new CairnError(
      'invalid_argument',
      'give the password one way: in the URL, typed, or as an environment variable',
      {
        field: 'password',
      },
    );
  const password = split.password ?? d.password ?? undefined;
  return {
    url: split.url,
    ...(password !== undefined ? { password } : {}),
    ...(d.passwordEnv !== undefined ? { passwordEnv: d.passwordEnv } : {}),
  };
}
