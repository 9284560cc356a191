// The endpoint's routing table: served versions by model name (case-insensitive), version and
// alias, with each name's default. A swap loads what the new list adds, reuses unchanged
// versions, then switches every route at once; versions no longer routed go once idle.
import type { ModelState, ServedModel } from './protocol.js';
import type { ServedVersion } from './served-version.js';

/** A model name's routes; `name` is the model's own spelling, the only one metrics and the log use. */
export interface NamedModel {
  name: string;
  default?: ServedVersion;
  versions: Map<number, ServedVersion>;
  aliases: Map<string, ServedVersion>;
}

interface Table {
  /** By lower-cased name. */
  byName: Map<string, NamedModel>;
  entries: ServedVersion[];
}

export const routeKey = (name: string) => name.toLowerCase();
const versionKey = (spec: ServedModel) => `${routeKey(spec.name)}:${spec.version}`;

function buildTable(entries: ServedVersion[], previous: Table): Table {
  const byName: Table['byName'] = new Map();
  for (const e of entries) {
    const k = routeKey(e.spec.name);
    let r = byName.get(k);
    if (!r) byName.set(k, (r = { name: e.spec.name, versions: new Map(), aliases: new Map() }));
    r.versions.set(e.spec.version, e);
    for (const a of e.spec.aliases) r.aliases.set(routeKey(a), e);
    if (e.spec.isDefault) r.default = e;
  }
  // A default that failed to load keeps the previous default serving: a bad version moved to
  // production must not take the model down.
  for (const [k, r] of byName) {
    const before = previous.byName.get(k)?.default;
    if (r.default?.error && before?.model)
      r.default =
        r.versions.get(before.spec.version)?.model === before.model ? r.versions.get(before.spec.version) : before;
  }
  const live = new Set(
    [...byName.values()].flatMap((r) => [...r.versions.values(), ...(r.default ? [r.default] : [])]),
  );
  return { byName, entries: [...live] };
}

export class ModelRoutes {
  private table: Table = { byName: new Map(), entries: [] };
  private swapping: Promise<unknown> = Promise.resolve();

  /** `open` makes the version `spec` names, given the loaded one the table holds for it, if any. */
  constructor(private readonly open: (spec: ServedModel, held?: ServedVersion) => Promise<ServedVersion>) {}

  /** Every version routed now, each once. */
  get entries(): ServedVersion[] {
    return this.table.entries;
  }

  /** The routes of the model called `name` (any case). */
  named(name: string): NamedModel | undefined {
    return this.table.byName.get(routeKey(name));
  }

  states(): ModelState[] {
    return this.table.entries.map((e) => ({
      name: e.spec.name,
      version: e.spec.version,
      aliases: e.spec.aliases,
      isDefault: this.table.byName.get(routeKey(e.spec.name))?.default === e,
      ...(e.error ? { error: e.error } : {}),
    }));
  }

  /** Swaps run one after another; each answers the states it left. */
  swap(models: ServedModel[]): Promise<ModelState[]> {
    const next = this.swapping.then(async () => {
      const held = new Map(this.table.entries.filter((e) => e.model).map((e) => [versionKey(e.spec), e]));
      const entries: ServedVersion[] = [];
      // One at a time: loading is mostly file reads and checks; memory peaks lower.
      for (const spec of models) entries.push(await this.open(spec, held.get(versionKey(spec))));
      const before = this.table;
      this.table = buildTable(entries, before);
      const kept = new Set(this.table.entries.map((e) => e.model));
      for (const e of before.entries) {
        if (e.model && !kept.has(e.model)) {
          const { model, batcher } = e;
          void (batcher ? batcher.whenIdle() : Promise.resolve()).then(() => model.dispose());
        }
      }
      return this.states();
    });
    this.swapping = next.catch(() => undefined);
    return next;
  }

  /** Settles once the swap under way (if any) has. */
  settled(): Promise<unknown> {
    return this.swapping;
  }

  /** Frees every routed model (the endpoint is closed). */
  dispose(): void {
    for (const model of new Set(this.table.entries.map((e) => e.model))) model?.dispose();
  }
}
