// The pipeline file format: a bad file gives errors naming the node and field (or edge and port)
// to fix, for each kind of problem; the catalogue's field descriptors and the zod schemas built
// from them agree; gates parse; the editor's helpers refuse wrong and cyclic connections; a
// monitor step's rules use the monitoring contract's values and fit the task trained upstream.
import { describe, expect, it } from 'vitest';
import { AlertAction, AlertMetric, Comparator, CompareMetric, monitoringWindows } from '../../../shared/api.js';
import {
  defaultParams,
  fieldSchema,
  findCycle,
  gatePasses,
  inputTakes,
  monitorRuleLine,
  nodeKindNames,
  nodeKinds,
  outputType,
  parseGate,
  specPortGraph,
  validatePipeline,
  wouldCycle,
  type ParamField,
  type PipelineIssue,
} from '../../../shared/pipeline.js';

const pos = { x: 0, y: 0 };

/** Whether a lone edge from one kind's output to another kind's input type-checks. */
function joins(
  sourceKind: string,
  sourcePort: string,
  targetKind: keyof typeof nodeKinds,
  targetPort: string,
): boolean {
  const graph = specPortGraph({ nodes: [{ id: 'a', kind: sourceKind }], edges: [] });
  const carries = outputType(graph, 'a', sourcePort);
  const inp = nodeKinds[targetKind].inputs.find((p) => p.name === targetPort);
  return Boolean(carries && inp && inputTakes(inp, carries));
}

/** The template chain, valid: source -> impute -> split -> train -> evaluate -> register. */
function goodSpec() {
  return {
    cairn: 1,
    name: 'iris',
    nodes: [
      { id: 'source', kind: 'dataset', params: { dataset: 'iris' }, position: pos },
      { id: 'impute', kind: 'impute', params: {}, position: pos },
      { id: 'split', kind: 'split', params: { method: 'stratified', stratify: 'species' }, position: pos },
      { id: 'train', kind: 'train', params: { target: 'species', task: 'classification' }, position: pos },
      { id: 'evaluate', kind: 'evaluate', params: { gates: ['accuracy >= 0.9'] }, position: pos },
      { id: 'register', kind: 'register', params: {}, position: pos },
    ],
    edges: [
      { id: 'e1', source: 'source', sourcePort: 'data', target: 'impute', targetPort: 'data' },
      { id: 'e2', source: 'impute', sourcePort: 'data', target: 'split', targetPort: 'data' },
      { id: 'e3', source: 'split', sourcePort: 'data', target: 'train', targetPort: 'data' },
      { id: 'e4', source: 'train', sourcePort: 'model', target: 'evaluate', targetPort: 'model' },
      { id: 'e5', source: 'split', sourcePort: 'data', target: 'evaluate', targetPort: 'data' },
      { id: 'e6', source: 'evaluate', sourcePort: 'model', target: 'register', targetPort: 'model' },
    ],
  };
}

type Spec = ReturnType<typeof goodSpec>;

function issuesOf(change: (s: Spec) => void): PipelineIssue[] {
  const spec = goodSpec();
  change(spec);
  const r = validatePipeline(spec);
  expect(r.ok).toBe(false);
  return r.issues;
}

const node = (s: Spec, id: string) =>
  s.nodes.find((n) => n.id === id) as { params: Record<string, unknown>; kind: string; id: string };

describe('validatePipeline', () => {
  it('accepts the template chain and fills in params defaults', () => {
    const r = validatePipeline(goodSpec());
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
    const train = r.spec?.nodes.find((n) => n.id === 'train');
    expect(train?.params).toMatchObject({ target: 'species', model: 'mlp', epochs: 50, seed: 42, features: [] });
    expect(r.spec?.nodes.find((n) => n.id === 'register')?.params).toEqual({ alias: 'production', reason: '' });
  });

  it('refuses a file that is not version 1, naming the field', () => {
    const issues = issuesOf((s) => ((s as { cairn: number }).cairn = 2));
    expect(issues).toEqual([{ field: 'cairn', message: expect.stringMatching(/"cairn" must be 1/) as string }]);
  });

  it('names a structurally broken node by its id and the field', () => {
    const issues = issuesOf((s) => delete (s.nodes[1] as { position?: unknown }).position);
    expect(issues).toEqual([expect.objectContaining({ nodeId: 'impute', field: 'position' })]);
    const badId = issuesOf((s) => ((s.nodes[0] as { id: string }).id = 'no spaces allowed'));
    expect(badId[0]).toMatchObject({ nodeId: 'no spaces allowed', field: 'id' });
  });

  it('names an unknown kind', () => {
    const issues = issuesOf((s) => (node(s, 'impute').kind = 'magic'));
    expect(issues).toContainEqual({
      nodeId: 'impute',
      field: 'kind',
      message: expect.stringMatching(/unknown node kind "magic"/) as string,
    });
  });

  it('names a bad param with its path: wrong type, out of range, nested, required, unknown', () => {
    expect(issuesOf((s) => (node(s, 'train').params.epochs = 'many'))).toContainEqual(
      expect.objectContaining({ nodeId: 'train', field: 'epochs' }),
    );
    expect(issuesOf((s) => (node(s, 'split').params.seed = -1))).toContainEqual(
      expect.objectContaining({ nodeId: 'split', field: 'seed' }),
    );
    expect(issuesOf((s) => (node(s, 'impute').params.rules = [{ column: 'a', strategy: 'average' }]))).toContainEqual(
      expect.objectContaining({ nodeId: 'impute', field: 'rules.0.strategy' }),
    );
    expect(issuesOf((s) => (node(s, 'train').params.target = ' '))).toContainEqual(
      expect.objectContaining({ nodeId: 'train', field: 'target', message: 'Target is required' }),
    );
    // Left out of a hand-written file: the same message, not zod's "expected string, received undefined".
    expect(issuesOf((s) => delete node(s, 'train').params.target)).toContainEqual(
      expect.objectContaining({ nodeId: 'train', field: 'target', message: 'Target is required' }),
    );
    expect(issuesOf((s) => (node(s, 'train').params.epoch = 5))).toContainEqual({
      nodeId: 'train',
      field: 'epoch',
      message: 'unknown parameter "epoch" for Train',
    });
  });

  it('checks rules between fields of a node', () => {
    expect(issuesOf((s) => (node(s, 'split').params.train = 0.5))).toContainEqual(
      expect.objectContaining({
        nodeId: 'split',
        field: 'train',
        message: expect.stringMatching(/add up to 1 \(they add up to 0.8\)/) as string,
      }),
    );
    expect(issuesOf((s) => delete node(s, 'split').params.stratify)).toContainEqual(
      expect.objectContaining({ nodeId: 'split', field: 'stratify' }),
    );
    expect(issuesOf((s) => (node(s, 'impute').params.rules = [{ column: 'a', strategy: 'constant' }]))).toContainEqual(
      expect.objectContaining({ nodeId: 'impute', field: 'rules.0.value' }),
    );
    expect(issuesOf((s) => (node(s, 'register').params.alias = '1st'))).toContainEqual(
      expect.objectContaining({ nodeId: 'register', field: 'alias' }),
    );
    expect(issuesOf((s) => (node(s, 'train').params.model = 'linear_regression'))).toContainEqual(
      expect.objectContaining({ nodeId: 'train', field: 'model' }),
    );
  });

  it('names a gate that does not parse, or names a metric of the other task', () => {
    expect(
      issuesOf((s) => (node(s, 'evaluate').params.gates = ['accuracy >= 0.9', 'accuracy is high'])),
    ).toContainEqual(
      expect.objectContaining({
        nodeId: 'evaluate',
        field: 'gates.1',
        message: expect.stringMatching(/is not a gate/) as string,
      }),
    );
    // The train step upstream says classification: rmse is not one of its metrics.
    expect(issuesOf((s) => (node(s, 'evaluate').params.gates = ['rmse < 3']))).toEqual([
      {
        nodeId: 'evaluate',
        field: 'gates.0',
        message: expect.stringMatching(/"rmse" is not a classification metric/) as string,
      },
    ]);
  });

  it('names an edge to a missing node, and one from a missing node', () => {
    expect(issuesOf((s) => (s.edges[0]!.target = 'ghost'))).toContainEqual({
      edgeId: 'e1',
      nodeId: 'source',
      field: 'target',
      message: 'edge "e1" goes to a node "ghost" that does not exist',
    });
    expect(issuesOf((s) => (s.edges[0]!.source = 'ghost'))).toContainEqual({
      edgeId: 'e1',
      nodeId: 'impute',
      field: 'source',
      message: 'edge "e1" comes from a node "ghost" that does not exist',
    });
  });

  it('names a missing port on either end', () => {
    expect(issuesOf((s) => (s.edges[0]!.sourcePort = 'table'))).toContainEqual(
      expect.objectContaining({
        edgeId: 'e1',
        nodeId: 'source',
        port: 'table',
        message: expect.stringMatching(/has no output "table" \(outputs: data\)/) as string,
      }),
    );
    expect(issuesOf((s) => (s.edges[3]!.targetPort = 'input'))).toContainEqual({
      edgeId: 'e4',
      nodeId: 'evaluate',
      port: 'input',
      message: 'Evaluate "evaluate" has no input "input" (inputs: model, data)',
    });
    expect(issuesOf((s) => (s.edges[1]!.target = 'source'))).toContainEqual(
      expect.objectContaining({ message: 'Dataset "source" has no input "data" (it has no inputs)' }),
    );
  });

  it('refuses an edge between ports of different types, once', () => {
    // A plain table into evaluate's split input.
    const issues = issuesOf((s) => (s.edges[4]!.source = 'impute'));
    expect(issues).toEqual([
      {
        edgeId: 'e5',
        nodeId: 'evaluate',
        port: 'data',
        message: 'input "data" of "evaluate" takes a split table, but "impute" gives a table',
      },
    ]);
  });

  it('carries a split through the table steps placed after it, so they can learn from the train rows', () => {
    // The template's order: source -> split -> impute -> scale -> train, evaluate fed by scale.
    const s = goodSpec();
    s.nodes.push({ id: 'scale', kind: 'scale', params: {}, position: pos });
    s.edges = [
      { id: 'e1', source: 'source', sourcePort: 'data', target: 'split', targetPort: 'data' },
      { id: 'e2', source: 'split', sourcePort: 'data', target: 'impute', targetPort: 'data' },
      { id: 'e3', source: 'impute', sourcePort: 'data', target: 'scale', targetPort: 'data' },
      { id: 'e4', source: 'scale', sourcePort: 'data', target: 'train', targetPort: 'data' },
      { id: 'e5', source: 'scale', sourcePort: 'data', target: 'evaluate', targetPort: 'data' },
      { id: 'e6', source: 'train', sourcePort: 'model', target: 'evaluate', targetPort: 'model' },
      { id: 'e7', source: 'evaluate', sourcePort: 'model', target: 'register', targetPort: 'model' },
    ];
    expect(validatePipeline(s).issues).toEqual([]);
    const graph = specPortGraph(s);
    expect(outputType(graph, 'scale', 'data')).toBe('split');
    expect(outputType(graph, 'split', 'data')).toBe('split');
    expect(outputType(graph, 'source', 'data')).toBe('dataset');
    expect(outputType(graph, 'nope', 'data')).toBeUndefined();

    // Before the split the same steps give a plain table, which train does not take.
    s.edges[0] = { id: 'e1', source: 'source', sourcePort: 'data', target: 'impute', targetPort: 'data' };
    s.edges[1] = { id: 'e2', source: 'impute', sourcePort: 'data', target: 'split', targetPort: 'data' };
    expect(validatePipeline(s).issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          edgeId: 'e4',
          message: 'input "data" of "train" takes a split table, but "scale" gives a table',
        }),
      ]),
    );

    // A step that could drop the split column (SQL) takes no split table, nor does a second split.
    expect(joins('split', 'data', 'sql', 'data')).toBe(false);
    expect(joins('split', 'data', 'columns', 'data')).toBe(false);
    expect(joins('split', 'data', 'split', 'data')).toBe(false);
    for (const kind of ['filter', 'impute', 'scale', 'encode'] as const)
      expect(joins('split', 'data', kind, 'data')).toBe(true);
  });

  it('ends port typing at a loop, which it reports', () => {
    const s = goodSpec();
    s.edges[0] = { id: 'e1', source: 'split', sourcePort: 'data', target: 'impute', targetPort: 'data' };
    s.edges[1] = { id: 'e2', source: 'impute', sourcePort: 'data', target: 'impute', targetPort: 'data' };
    const graph = specPortGraph({ ...s, edges: [s.edges[1]] });
    expect(outputType(graph, 'impute', 'data')).toBe('dataset');
    expect(validatePipeline(s).issues.length).toBeGreaterThan(0);
  });

  it('refuses a second edge into the same input', () => {
    const issues = issuesOf((s) =>
      s.edges.push({ id: 'e7', source: 'source', sourcePort: 'data', target: 'impute', targetPort: 'data' }),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        edgeId: 'e7',
        nodeId: 'impute',
        port: 'data',
        message: expect.stringMatching(/already comes from "source"/) as string,
      }),
    ]);
  });

  it('names a required input left unconnected', () => {
    const issues = issuesOf((s) => s.edges.splice(4, 1));
    expect(issues).toEqual([
      {
        nodeId: 'evaluate',
        port: 'data',
        message: 'Evaluate "evaluate" needs its "data" input (a split table) connected',
      },
    ]);
  });

  it('names every node of a cycle', () => {
    const spec = {
      cairn: 1,
      name: 'loop',
      nodes: ['a', 'b', 'c'].map((id) => ({ id, kind: 'filter', params: { condition: 'x > 1' }, position: pos })),
      edges: [
        { id: 'ab', source: 'a', sourcePort: 'data', target: 'b', targetPort: 'data' },
        { id: 'bc', source: 'b', sourcePort: 'data', target: 'c', targetPort: 'data' },
        { id: 'ca', source: 'c', sourcePort: 'data', target: 'a', targetPort: 'data' },
      ],
    };
    const r = validatePipeline(spec);
    expect(r.issues.map((i) => i.nodeId).sort()).toEqual(['a', 'b', 'c']);
    expect(r.issues[0]?.message).toMatch(/a cycle runs through a -> b -> c -> a/);
  });

  it('names duplicate node and edge ids', () => {
    expect(issuesOf((s) => ((s.nodes[1] as { id: string }).id = 'source'))).toContainEqual(
      expect.objectContaining({ nodeId: 'source', field: 'id' }),
    );
    expect(issuesOf((s) => (s.edges[1]!.id = 'e1'))).toContainEqual(expect.objectContaining({ edgeId: 'e1' }));
  });
});

describe('gates', () => {
  it('parse with their metric, operator and threshold', () => {
    expect(parseGate('accuracy >= 0.9')).toEqual({ ok: true, gate: { metric: 'accuracy', op: '>=', threshold: 0.9 } });
    expect(parseGate(' rmse<3', 'regression')).toEqual({ ok: true, gate: { metric: 'rmse', op: '<', threshold: 3 } });
    expect(parseGate('r2 != -1e-3')).toEqual({ ok: true, gate: { metric: 'r2', op: '!=', threshold: -0.001 } });
    expect(parseGate('accuracy >= 0.9', 'regression')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a regression metric: use one of mae, rmse, r2/) as string,
    });
    expect(parseGate('accuracy => 0.9').ok).toBe(false);
    expect(parseGate('speed > 1').ok).toBe(false);
  });

  it('pass only when the value meets them (a missing value never does)', () => {
    const g = { metric: 'accuracy', op: '>=' as const, threshold: 0.9 };
    expect(gatePasses(g, 0.9)).toBe(true);
    expect(gatePasses(g, 0.89)).toBe(false);
    expect(gatePasses(g, null)).toBe(false);
    expect(gatePasses({ metric: 'rmse', op: '<', threshold: 3 }, 2.5)).toBe(true);
    expect(gatePasses({ metric: 'rmse', op: '<', threshold: 3 }, 3)).toBe(false);
  });
});

describe('the catalogue', () => {
  it('gives every kind a label, a category, typed ports and params whose defaults pass their own schema', () => {
    for (const kind of nodeKindNames) {
      const spec = nodeKinds[kind];
      expect(spec.label.length).toBeGreaterThan(0);
      for (const f of spec.params) {
        expect(f.label.length, `${kind}.${f.name}`).toBeGreaterThan(0);
        if (f.default !== undefined)
          expect(fieldSchema(f).safeParse(undefined).success, `${kind}.${f.name}`).toBe(true);
      }
      expect(spec.params.map((p) => p.name)).toEqual([...new Set(spec.params.map((p) => p.name))]);
    }
    expect(nodeKindNames.at(-1)).toBe('monitor');
    expect(nodeKinds.monitor).toMatchObject({ category: 'deliver', outputs: [] });
    expect(nodeKinds.monitor.inputs).toEqual([
      { name: 'endpoint', label: 'Endpoint', type: 'endpoint', required: true },
    ]);
  });

  it('builds each field schema from its descriptor: bounds, enums, required strings and object lists', () => {
    const units: ParamField = { name: 'u', label: 'Units', type: 'integer', min: 1, max: 10 };
    expect(fieldSchema(units).safeParse(11).success).toBe(false);
    expect(fieldSchema(units).safeParse(2.5).success).toBe(false);
    expect(fieldSchema(units).safeParse(undefined).success).toBe(true);
    const choice: ParamField = {
      name: 'c',
      label: 'C',
      type: 'enum',
      options: [{ value: 'a', label: 'A' }],
      default: 'a',
    };
    expect(fieldSchema(choice).parse(undefined)).toBe('a');
    expect(fieldSchema(choice).safeParse('b').success).toBe(false);
    const rules = nodeKinds.impute.params.find((p) => p.name === 'rules') as ParamField;
    expect(fieldSchema(rules).parse([{ column: 'a' }])).toEqual([{ column: 'a', strategy: 'mean' }]);
    expect(fieldSchema(rules).safeParse([{ column: 'a', extra: 1 }]).success).toBe(false);
  });

  it('gives a palette node its defaults', () => {
    expect(defaultParams('split')).toEqual({ method: 'random', train: 0.7, validation: 0.15, test: 0.15, seed: 42 });
    const fresh = defaultParams('columns');
    (fresh.columns as string[]).push('x');
    expect(defaultParams('columns').columns).toEqual([]);
  });

  it('lets an editor refuse wrong and cyclic connections', () => {
    expect(joins('split', 'data', 'train', 'data')).toBe(true);
    expect(joins('impute', 'data', 'train', 'data')).toBe(false);
    expect(joins('train', 'model', 'evaluate', 'data')).toBe(false);
    expect(joins('train', 'nope', 'evaluate', 'model')).toBe(false);
    const edges = [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
    ];
    expect(wouldCycle(edges, 'c', 'a')).toBe(true);
    expect(wouldCycle(edges, 'a', 'c')).toBe(false);
    expect(wouldCycle(edges, 'a', 'a')).toBe(true);
    expect(findCycle(['a', 'b', 'c'], edges)).toBeNull();
  });
});

describe('the monitor kind', () => {
  /** The template chain, then deploy and monitor. */
  function monitored(params: Record<string, unknown> = {}, task = 'classification') {
    const s = goodSpec();
    node(s, 'train').params.task = task;
    node(s, 'evaluate').params.gates = [];
    s.nodes.push({ id: 'deploy', kind: 'deploy', params: {}, position: pos });
    s.nodes.push({ id: 'watch', kind: 'monitor', params, position: pos });
    s.edges.push({ id: 'e7', source: 'register', sourcePort: 'model', target: 'deploy', targetPort: 'model' });
    s.edges.push({ id: 'e8', source: 'deploy', sourcePort: 'endpoint', target: 'watch', targetPort: 'endpoint' });
    return validatePipeline(s);
  }
  const rule = (metric: string, threshold = 1) => ({
    metric,
    comparator: '>',
    threshold,
    window: '1h',
    action: 'notify',
  });
  const fieldOf = (f: ParamField | undefined, name: string) =>
    f?.type === 'object-list' ? f.fields.find((x) => x.name === name) : undefined;
  const values = (f: ParamField | undefined) => (f?.type === 'enum' ? f.options.map((o) => o.value) : []);

  it("offers exactly the monitoring contract's metrics, comparators, windows, actions and compare metrics", () => {
    const rules = nodeKinds.monitor.params.find((p) => p.name === 'rules');
    expect(values(fieldOf(rules, 'metric')).sort()).toEqual([...AlertMetric.options].sort());
    expect(values(fieldOf(rules, 'comparator'))).toEqual(Comparator.options);
    expect(values(fieldOf(rules, 'window'))).toEqual([...monitoringWindows]);
    expect(values(fieldOf(rules, 'action'))).toEqual(AlertAction.options);
    const compare = values(nodeKinds.monitor.params.find((p) => p.name === 'compareMetric'));
    expect(compare[0]).toBe('auto');
    expect(compare.slice(1).sort()).toEqual([...CompareMetric.options].sort());
  });

  it('starts with one drift rule and the default retrain policy', () => {
    expect(defaultParams('monitor')).toEqual({
      rules: [{ metric: 'drift_score', comparator: '>', threshold: 0.2, window: '24h', action: 'notify' }],
      retrainOnAlert: true,
      onNewDatasetVersion: false,
      compareMetric: 'auto',
      margin: 0,
      includeLabelledRequests: false,
      retrainMode: 'same',
      sweepTrials: 8,
    });
    const [first] = defaultParams('monitor').rules as Parameters<typeof monitorRuleLine>[0][];
    expect(first && monitorRuleLine(first)).toBe('drift_score > 0.2 over 24h, notify');
    const r = monitored();
    expect(r.issues).toEqual([]);
    expect(r.spec?.nodes.find((n) => n.id === 'watch')?.params).toEqual(defaultParams('monitor'));
  });

  it('names the node and field of a bad rule: an unknown metric, a missing threshold, a wrong window', () => {
    const r = monitored({
      rules: [rule('drift_score'), { ...rule('accuracy_live'), window: '2d' }, { metric: 'error_rate' }],
    });
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'watch', field: 'rules.1.metric' }),
        expect.objectContaining({ nodeId: 'watch', field: 'rules.1.window' }),
        { nodeId: 'watch', field: 'rules.2.threshold', message: 'Threshold is required' },
      ]),
    );
    expect(r.issues.every((i) => i.nodeId === 'watch')).toBe(true);
  });

  it('checks rule and compare metrics against the task the train step declares', () => {
    const cls = monitored({ rules: [rule('live_accuracy', 0.8), rule('live_mae')], compareMetric: 'rmse' });
    expect(cls.issues).toEqual([
      {
        nodeId: 'watch',
        field: 'rules.1.metric',
        message: 'live_mae needs a regression model; the model "train" trains is a classification model',
      },
      {
        nodeId: 'watch',
        field: 'compareMetric',
        message: 'rmse is not a classification metric: use one of accuracy, f1_macro, precision_macro, recall_macro',
      },
    ]);
    expect(monitored({ rules: [rule('live_mae')], compareMetric: 'rmse' }, 'regression').issues).toEqual([]);
    // A task found from the target is known only at run time: the step checks it then.
    expect(monitored({ rules: [rule('live_mae')] }, 'auto').issues).toEqual([]);
  });

  it('takes an endpoint, not a model, and needs one', () => {
    expect(joins('deploy', 'endpoint', 'monitor', 'endpoint')).toBe(true);
    expect(joins('register', 'model', 'monitor', 'endpoint')).toBe(false);
    const s = goodSpec();
    s.nodes.push({ id: 'watch', kind: 'monitor', params: {}, position: pos });
    expect(validatePipeline(s).issues).toEqual([
      expect.objectContaining({
        nodeId: 'watch',
        port: 'endpoint',
        message: expect.stringMatching(/needs its "endpoint" input/) as string,
      }),
    ]);
  });
});
