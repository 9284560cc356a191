// The one line a step shows on the canvas under its title: what it does with its parameters,
// so a pipeline reads at a glance without opening each node.
import { isNodeKind, nodeKinds, type NodeKindName } from '../../../../shared/pipeline.js';

type Params = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
const names = (v: unknown, none: string): string => {
  const l = list(v);
  return l.length === 0 ? none : l.length <= 3 ? l.join(', ') : `${l.slice(0, 3).join(', ')} +${l.length - 3}`;
};
const optionLabel = (kind: NodeKindName, field: string, value: unknown): string => {
  const f = nodeKinds[kind].params.find((p) => p.name === field);
  return (f?.type === 'enum' && f.options.find((o) => o.value === value)?.label) || str(value);
};

/** A short description of a step's parameters; '' when there is nothing to say yet. */
export function stepSummary(kind: string, params: Params): string {
  if (!isNodeKind(kind)) return `unknown kind "${kind}"`;
  switch (kind) {
    case 'dataset': {
      const name = str(params.dataset);
      if (!name) return '';
      return typeof params.version === 'number' ? `${name} v${params.version}` : `${name} (latest)`;
    }
    case 'sql':
      return str(params.query).replace(/\s+/g, ' ');
    case 'filter':
      return str(params.condition);
    case 'columns': {
      const renames = Array.isArray(params.rename) ? params.rename.length : 0;
      const what =
        params.mode === 'select'
          ? `keep ${names(params.columns, 'none')}`
          : list(params.columns).length
            ? `drop ${names(params.columns, '')}`
            : '';
      return [what, renames ? `rename ${renames}` : ''].filter(Boolean).join(' · ');
    }
    case 'impute':
      return `numbers: ${optionLabel(kind, 'numeric', params.numeric ?? 'mean').toLowerCase()} · others: ${optionLabel(kind, 'other', params.other ?? 'mode').toLowerCase()}`;
    case 'scale':
      return `${optionLabel(kind, 'method', params.method ?? 'standard')} · ${names(params.columns, 'all numeric')}`;
    case 'encode':
      return `${optionLabel(kind, 'method', params.method ?? 'onehot')} · ${names(params.columns, 'all text')}`;
    case 'split': {
      const pct = (v: unknown, d: number) => Math.round((typeof v === 'number' ? v : d) * 100);
      const by = params.method === 'stratified' && str(params.stratify) ? ` · by ${str(params.stratify)}` : '';
      return `${pct(params.train, 0.7)} / ${pct(params.validation, 0.15)} / ${pct(params.test, 0.15)}${by}`;
    }
    case 'train': {
      const target = str(params.target);
      const model = optionLabel(kind, 'model', params.model ?? 'mlp').replace(/ \(MLP\)$/, '');
      const epochs = typeof params.epochs === 'number' ? params.epochs : 50;
      return [target ? `→ ${target}` : '', model, `${epochs} epoch${epochs === 1 ? '' : 's'}`]
        .filter(Boolean)
        .join(' · ');
    }
    case 'sweep': {
      const target = str(params.target);
      const model = optionLabel(kind, 'model', params.model ?? 'mlp').replace(/ \(MLP\)$/, '');
      const budget = [
        typeof params.trials === 'number' ? `${params.trials} trial${params.trials === 1 ? '' : 's'}` : '',
        typeof params.seconds === 'number' ? `${params.seconds} s` : '',
      ].filter(Boolean);
      return [
        target ? `→ ${target}` : '',
        model,
        `${optionLabel(kind, 'strategy', params.strategy ?? 'tpe').replace(/ \(.*\)$/, '')}`,
        budget.join(' or '),
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'evaluate': {
      const gates = list(params.gates);
      return gates.length ? gates.join(', ') : 'no gates';
    }
    case 'register':
      return str(params.alias) ? `alias ${str(params.alias)}` : '';
    case 'deploy':
      return `${params.serve === 'version' ? 'this version' : 'the alias'}${typeof params.port === 'number' ? ` · port ${params.port}` : ''}`;
    case 'monitor': {
      const rules = Array.isArray(params.rules) ? (params.rules as Params[]) : [];
      const first = rules[0];
      const what =
        rules.length === 0
          ? 'no alert rules'
          : rules.length === 1 && first && typeof first.threshold === 'number'
            ? `${str(first.metric)} ${str(first.comparator)} ${first.threshold} over ${str(first.window)}`
            : `${rules.length} alert rule${rules.length === 1 ? '' : 's'}`;
      const every = typeof params.scheduleHours === 'number' ? ` · retrain every ${params.scheduleHours} h` : '';
      return `${what}${every}`;
    }
  }
}
