// The kinds a source can be, by name: the database kinds (./databases/) and the file kinds (./kinds/).
// Each is loaded on its first use: their drivers (the AWS SDK, pg, mysql2) cost every CLI command
// close to a second at start otherwise, as tfjs would (service.ts loads it lazily for the same reason).
import type { SourceKindName } from '../../../shared/api/sources.js';
import { CairnError } from '../errors.js';
import type { SourceKind } from './source-kind.js';

/** A kind whose module is imported when one of its methods is first called. */
function lazyKind(load: () => Promise<SourceKind>): SourceKind {
  let loaded: Promise<SourceKind> | undefined;
  const kind = () => (loaded ??= load());
  return {
    test: async (target, options) => (await kind()).test(target, options),
    preview: async (target, limit, options) => (await kind()).preview(target, limit, options),
    fetch: async (target, options) => (await kind()).fetch(target, options),
  };
}

const databases = () => import('./databases/index.js').then((m) => m.databaseKinds);

export const sourceKinds: Record<SourceKindName, SourceKind> = {
  postgres: lazyKind(async () => (await databases()).postgres),
  mysql: lazyKind(async () => (await databases()).mysql),
  sqlite: lazyKind(async () => (await databases()).sqlite),
  url: lazyKind(async () => (await import('./kinds/url.js')).urlKind),
  s3: lazyKind(async () => (await import('./kinds/s3.js')).s3Kind),
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
