// Model references to the versions an endpoint serves: `name` (the production alias, else the
// latest version), `name@alias`, `name:version`. A stand-in until the model registry's resolver
// lands: the supervisor calls only resolveServedModels, which the registry's can replace.
// (Its SQL lives here, not in core/db, only because it is temporary.)
import path from 'node:path';
import { CairnError } from '../errors.js';
import type { Db } from '../db/open.js';
import type { ServedModel } from './protocol.js';

export const DEFAULT_ALIAS = 'production';

export type ModelRef = { name: string; alias?: string; version?: number };

/** Parses `name`, `name@alias` or `name:version`. */
export function parseServeRef(ref: string): ModelRef {
  const at = ref.lastIndexOf('@');
  if (at > 0) {
    const alias = ref.slice(at + 1);
    if (!alias) throw new CairnError('invalid_argument', `"${ref}" names an empty alias`);
    return { name: ref.slice(0, at), alias };
  }
  const m = /^(.+):(\d+)$/.exec(ref);
  if (!m) return { name: ref };
  const version = Number(m[2]);
  if (!Number.isSafeInteger(version) || version < 1) throw new CairnError('invalid_argument', `"${m[2]}" is not a model version number`);
  return { name: m[1] as string, version };
}

interface Row {
  name: string;
  version: number;
  dir: string;
  sha256: string;
}

/** Resolves references to the versions to serve, each with every alias that points at it. */
export function resolveServedModels(db: Db, home: string, refs: readonly string[]): ServedModel[] {
  const versionOf = db.prepare(
    `SELECT m.name, mv.version, mv.dir, mv.sha256 FROM model_versions mv JOIN models m ON m.id = mv.model_id
     WHERE m.name = ? COLLATE NOCASE AND (? IS NULL OR mv.version = ?) ORDER BY mv.version DESC LIMIT 1`,
  );
  const aliasOf = db.prepare(
    `SELECT a.version FROM model_aliases a JOIN models m ON m.id = a.model_id
     WHERE m.name = ? COLLATE NOCASE AND a.alias = ? COLLATE NOCASE`,
  );
  const aliasesAt = db.prepare(
    `SELECT a.alias FROM model_aliases a JOIN models m ON m.id = a.model_id
     WHERE m.name = ? COLLATE NOCASE AND a.version = ? ORDER BY a.alias`,
  );
  const find = (name: string, version?: number): Row => {
    const row = versionOf.get(name, version ?? null, version ?? null) as Row | undefined;
    if (row) return row;
    const any = versionOf.get(name, null, null) as Row | undefined;
    throw new CairnError(
      'not_found',
      any ? `model "${any.name}" has no version ${String(version)} (its latest is ${any.version})` : `no model named "${name}"`,
      { model: name },
    );
  };
  const defaultVersion = (name: string): Row => {
    const prod = aliasOf.get(name, DEFAULT_ALIAS) as { version: number } | undefined;
    return find(name, prod?.version);
  };

  const served = new Map<string, ServedModel>();
  const defaults = new Map<string, string>();
  const byName = new Map<string, Set<string>>();
  for (const text of refs) {
    const ref = parseServeRef(text);
    let row: Row;
    if (ref.alias !== undefined) {
      const a = aliasOf.get(ref.name, ref.alias) as { version: number } | undefined;
      if (!a) {
        const model = find(ref.name);
        throw new CairnError('not_found', `model "${model.name}" has no alias "${ref.alias}"`, { model: model.name, alias: ref.alias });
      }
      row = find(ref.name, a.version);
    } else if (ref.version !== undefined) row = find(ref.name, ref.version);
    else row = defaultVersion(ref.name);
    const k = `${row.name.toLowerCase()}:${row.version}`;
    if (!served.has(k)) {
      const aliases = (aliasesAt.all(row.name, row.version) as { alias: string }[]).map((a) => a.alias);
      served.set(k, { name: row.name, version: row.version, dir: path.join(home, row.dir), sha256: row.sha256, aliases, isDefault: false });
    }
    const n = row.name.toLowerCase();
    if (ref.alias === undefined && ref.version === undefined) defaults.set(n, k);
    let set = byName.get(n);
    if (!set) byName.set(n, (set = new Set()));
    set.add(k);
  }
  // The bare name's route: the production-else-latest version when the bare name was asked
  // for; otherwise the one version served under that name, if only one is.
  for (const [n, set] of byName) {
    const k = defaults.get(n) ?? (set.size === 1 ? [...set][0] : undefined);
    const s = k ? served.get(k) : undefined;
    if (s) s.isDefault = true;
  }
  return [...served.values()];
}
