// Model references to the versions an endpoint serves: `name` (the production alias, else the
// latest version), `name@alias`, `name:version`, each resolved by the registry, the one resolver
// every caller uses.
import type { ModelRegistry } from '../registry/registry.js';
import { parseModelRef } from '../registry/ref.js';
import type { ServedModel } from './protocol.js';

/** Resolves references to the versions to serve, each with every alias that points at it. */
export function resolveServedModels(registry: ModelRegistry, refs: readonly string[]): ServedModel[] {
  const served = new Map<string, ServedModel>();
  const defaults = new Map<string, string>();
  const byName = new Map<string, Set<string>>();
  for (const text of refs) {
    const ref = parseModelRef(text);
    const row = registry.resolve(ref);
    const k = `${row.name.toLowerCase()}:${row.version}`;
    if (!served.has(k)) {
      served.set(k, {
        name: row.name,
        version: row.version,
        dir: registry.dirOf(row),
        sha256: row.sha256,
        aliases: registry.aliasesAt(row),
        isDefault: false,
      });
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
