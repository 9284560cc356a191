// The sweep node's one definition: its params schema (from the field descriptors, the space from
// the search space's zod schema), its defaults, and the issues validatePipeline names on it.
import { describe, expect, it } from 'vitest';
import {
  defaultParams,
  nodeKinds,
  nodeParamSchemas,
  validatePipeline,
  type ParamField,
  type PipelineSpec,
} from '../../../shared/pipeline.js';
import { DEFAULT_SPACES } from '../../../shared/sweep.js';

type JsonField = Extract<ParamField, { type: 'json' }>;

/** A split table into a sweep with `params`. */
function spec(params: Record<string, unknown>): PipelineSpec {
  const at = { x: 0, y: 0 };
  return {
    cairn: 1,
    name: 'p',
    nodes: [
      { id: 'source', kind: 'dataset', params: { dataset: 'iris' }, position: at },
      { id: 'split', kind: 'split', params: {}, position: at },
      { id: 'sweep', kind: 'sweep', params: { target: 'species', ...params }, position: at },
    ],
    edges: [
      { id: 'a', source: 'source', sourcePort: 'data', target: 'split', targetPort: 'data' },
      { id: 'b', source: 'split', sourcePort: 'data', target: 'sweep', targetPort: 'data' },
    ],
  };
}

const issues = (params: Record<string, unknown>) => {
  const r = validatePipeline(spec(params));
  return r.ok ? [] : r.issues;
};

describe('the sweep node', () => {
  it('fills its defaults: TPE, the task default metric, no stopping, the training seed; no space (the kind default)', () => {
    const parsed = nodeParamSchemas.sweep.parse({ target: 'y' });
    expect(parsed).toEqual({
      target: 'y',
      task: 'auto',
      model: 'mlp',
      features: [],
      strategy: 'tpe',
      metric: 'auto',
      stopping: 'none',
      seed: 42,
    });
    expect(defaultParams('sweep')).not.toHaveProperty('space');
  });

  it("offers the model kind's default space to start editing from", () => {
    const space = nodeKinds.sweep.params.find((f) => f.name === 'space') as JsonField | undefined;
    expect(space?.type).toBe('json');
    expect(space?.example?.({ model: 'gbdt' })).toEqual(DEFAULT_SPACES.gbdt);
    expect(space?.example?.({})).toEqual(DEFAULT_SPACES.mlp);
  });

  it('refuses an unknown parameter of the node and a strategy it does not have', () => {
    expect(issues({ trails: 3, strategy: 'bayes' })).toEqual([
      expect.objectContaining({ nodeId: 'sweep', field: 'strategy' }),
      { nodeId: 'sweep', field: 'trails', message: 'unknown parameter "trails" for Sweep' },
    ]);
  });

  it("names a space's problems for the model kind under space.<param>", () => {
    expect(
      issues({
        model: 'gbdt',
        space: { units: { type: 'int', min: 8, max: 64 }, subsample: { type: 'float', min: 0.9, max: 0.5 } },
      }),
    ).toEqual([
      expect.objectContaining({
        field: 'space.units',
        message: expect.stringMatching(/^not a parameter of gbdt/) as string,
      }),
      expect.objectContaining({
        field: 'space.subsample',
        message: expect.stringMatching(/min \(0.9\) is above/) as string,
      }),
    ]);
    expect(issues({ space: {} })).toEqual([
      expect.objectContaining({ field: 'space', message: expect.stringMatching(/search space is empty/) as string }),
    ]);
  });

  it('names a model the declared task cannot use, and a metric of the other task', () => {
    expect(issues({ task: 'regression', model: 'logistic_regression', metric: 'accuracy' })).toEqual([
      { nodeId: 'sweep', field: 'model', message: 'logistic regression is for classification' },
      expect.objectContaining({
        field: 'metric',
        message: expect.stringMatching(/regression sweep cannot choose by accuracy/) as string,
      }),
    ]);
    // With the task left to the target, the metric is checked when the table is known.
    expect(issues({ metric: 'accuracy' })).toEqual([]);
  });

  it('names a split upstream that leaves no validation rows to choose on', () => {
    const s = spec({});
    s.nodes[1]!.params = { train: 0.8, validation: 0, test: 0.2 };
    const r = validatePipeline(s);
    expect(r.ok ? [] : r.issues).toEqual([
      {
        nodeId: 'split',
        field: 'validation',
        message: 'the sweep "sweep" chooses its best trial on the validation part: give it a share above 0',
      },
    ]);
  });
});
