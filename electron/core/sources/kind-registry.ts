// The kinds a source can be, by name: the database kinds (./databases/) and the file kinds (./kinds/).
import type { SourceKindName } from '../../../shared/api/sources.js';
import { CairnError } from '../errors.js';
import { databaseKinds } from './databases/index.js';
import { s3Kind } from './kinds/s3.js';
import { urlKind } from './kinds/url.js';
import type { SourceKind } from './source-kind.js';

export const sourceKinds: Record<SourceKindName, SourceKind> = {
  ...databaseKinds,
  url: urlKind,
  s3: s3Kind,
};

/** The kind's implementation; invalid_argument for a kind this build cannot read. */
export function kindOf(
  name: SourceKindName,
  kinds: Partial<Record<SourceKindName, SourceKind>> = sourceKinds,
): SourceKind {
  const kind = kinds[name];
  if (!kind) throw new CairnError('invalid_argument', `${name} sources cannot be read by this build of Cairn`);
  return kind;
}
