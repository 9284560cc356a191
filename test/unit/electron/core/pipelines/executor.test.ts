// The DAG executor with small test kinds (the real kinds have their own tests): topological order,
// independent branches actually overlapping up to the limit, caching and partial reruns, cancel,
// and a failure skipping only what is downstream of it.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CairnError } from '../../../../../electron/core/errors.js';
import {
  execute,
  StepFailure,
  topologicalOrder,
  type ExecEdge,
  type ExecNode,
  type KindRunner,
  type StepEvent,
} from '../../../../../electron/core/pipelines/executor.js';
import { StepCache } from '../../../../../electron/core/pipelines/step-cache.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let cache: StepCache;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('cairn-exec-'));
  cache = new StepCache(path.join(dir, 'cache'));
  await cache.sweep();
});
afterEach(async () => cleanup());

/** Records what ran, when, and how many at once. */
class Trace {
  started: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  runs = new Map<string, number>();
  enter(id: string) {
    this.started.push(id);
    this.runs.set(id, (this.runs.get(id) ?? 0) + 1);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
  }
  leave() {
    this.inFlight--;
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Test kinds: `step` writes a file naming its inputs; the others wait, fail or miss a gate. */
function kinds(
  trace: Trace,
  hooks: { wait?: (id: string, signal: AbortSignal) => Promise<void>; valid?: () => boolean } = {},
): Record<string, KindRunner> {
  const step: KindRunner = {
    version: 1,
    async run(ctx) {
      trace.enter(ctx.node.id);
      try {
        await hooks.wait?.(ctx.node.id, ctx.signal);
        await delay(5);
        const file = path.join(ctx.outDir, 'out.txt');
        await writeFile(file, `${ctx.node.id}(${Object.keys(ctx.inputs).join(',')})`);
        return {
          output: { metrics: { value: Number(ctx.node.params.value ?? 0) } },
          ports: { data: { type: 'table', file } },
        };
      } finally {
        trace.leave();
      }
    },
    async stillValid() {
      return hooks.valid?.() ?? true;
    },
  };
  return {
    step,
    fail: {
      version: 1,
      async run(ctx) {
        trace.enter(ctx.node.id);
        trace.leave();
        throw new CairnError('invalid_argument', 'this step always fails', { field: 'value' });
      },
    },
    gate: {
      version: 1,
      async run(ctx) {
        trace.enter(ctx.node.id);
        trace.leave();
        throw new StepFailure(
          { code: 'gate_failed', message: 'gate not met: accuracy >= 0.99' },
          { metrics: { accuracy: 0.5 } },
        );
      },
    },
  };
}

const n = (id: string, kind = 'step', params: Record<string, unknown> = {}): ExecNode => ({ id, kind, params });
const e = (source: string, target: string, targetPort = 'data'): ExecEdge => ({
  source,
  sourcePort: 'data',
  target,
  targetPort,
});

async function run(
  nodes: ExecNode[],
  edges: ExecEdge[],
  k: Record<string, KindRunner>,
  opts: { concurrency?: number; signal?: AbortSignal } = {},
) {
  const events: StepEvent[] = [];
  const outcome = await execute({
    nodes,
    edges,
    kinds: k,
    cache,
    concurrency: opts.concurrency ?? 4,
    signal: opts.signal ?? new AbortController().signal,
    onStep: (ev) => events.push(ev),
  });
  const final = (id: string) => [...events].reverse().find((ev) => ev.nodeId === id && ev.state !== 'running');
  return { outcome, events, final };
}

describe('topologicalOrder', () => {
  it('puts every node after the nodes feeding it, ties in file order, and refuses a cycle', () => {
    const nodes = ['d', 'c', 'b', 'a'].map((id) => ({ id }));
    expect(topologicalOrder(nodes, [e('a', 'b'), e('b', 'c')])).toEqual(['d', 'a', 'b', 'c']);
    expect(() => topologicalOrder(nodes, [e('a', 'b'), e('b', 'a')])).toThrow(/cycle/);
  });
});

describe('execute', () => {
  it('runs steps in topological order, one at a time with a limit of 1', async () => {
    const trace = new Trace();
    const nodes = [
      n('c', 'step', { value: 3 }),
      n('b', 'step', { value: 2 }),
      n('a', 'step', { value: 1 }),
      n('x', 'step', { value: 9 }),
    ];
    const { outcome } = await run(nodes, [e('a', 'b'), e('b', 'c')], kinds(trace), { concurrency: 1 });
    expect(outcome.status).toBe('succeeded');
    expect(trace.started.indexOf('a')).toBeLessThan(trace.started.indexOf('b'));
    expect(trace.started.indexOf('b')).toBeLessThan(trace.started.indexOf('c'));
    expect(trace.maxInFlight).toBe(1);
    expect(outcome.states).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded', x: 'succeeded' });
  });

  it('runs independent branches at the same time, up to the limit', async () => {
    const trace = new Trace();
    // Each branch waits until the other has started: they finish only if they overlap.
    const started = new Set<string>();
    const wait = async (id: string) => {
      started.add(id);
      const until = Date.now() + 5_000;
      while (!(started.has('left') && started.has('right'))) {
        if (Date.now() > until) throw new Error(`${id} never saw the other branch start`);
        await delay(5);
      }
    };
    const nodes = [n('root'), n('left'), n('right'), n('join')];
    const edges = [e('root', 'left'), e('root', 'right'), e('left', 'join', 'a'), e('right', 'join', 'b')];
    const { outcome } = await run(
      nodes,
      edges,
      kinds(trace, { wait: async (id) => (id === 'left' || id === 'right' ? wait(id) : undefined) }),
      {
        concurrency: 2,
      },
    );
    expect(outcome.status).toBe('succeeded');
    expect(trace.maxInFlight).toBe(2);
    expect(trace.started.at(-1)).toBe('join');
  });

  it('shares a result between nodes of the same kind, params and inputs (the key is their content)', async () => {
    const trace = new Trace();
    const { outcome } = await run([n('one', 'step', { value: 1 }), n('two', 'step', { value: 1 })], [], kinds(trace), {
      concurrency: 1,
    });
    expect(outcome.states).toEqual({ one: 'succeeded', two: 'cached' });
  });

  it('finds every step cached on an unchanged rerun, with the same outputs', async () => {
    const trace = new Trace();
    const nodes = [n('a', 'step', { value: 1 }), n('b', 'step', { value: 2 }), n('c', 'step', { value: 3 })];
    const edges = [e('a', 'b'), e('b', 'c')];
    const first = await run(nodes, edges, kinds(trace));
    const second = await run(nodes, edges, kinds(trace));
    expect(second.outcome.status).toBe('succeeded');
    expect(second.outcome.states).toEqual({ a: 'cached', b: 'cached', c: 'cached' });
    expect([...trace.runs.values()]).toEqual([1, 1, 1]);
    expect(second.final('c')?.output).toEqual(first.final('c')?.output);
    expect(second.final('c')?.cacheKey).toBe(first.final('c')?.cacheKey);
  });

  it('reruns only a changed step and what is downstream of it', async () => {
    const trace = new Trace();
    const edges = [e('a', 'b'), e('b', 'c'), e('a', 'side')];
    await run([n('a'), n('b', 'step', { value: 1 }), n('c'), n('side')], edges, kinds(trace));
    const again = await run([n('a'), n('b', 'step', { value: 2 }), n('c'), n('side')], edges, kinds(trace));
    expect(again.outcome.states).toEqual({ a: 'cached', b: 'succeeded', c: 'succeeded', side: 'cached' });
    expect(Object.fromEntries(trace.runs)).toEqual({ a: 1, b: 2, c: 2, side: 1 });
    expect(again.final('b')?.output).toEqual({ metrics: { value: 2 } });
  });

  it('reruns a step whose kind says its cached result no longer holds', async () => {
    const trace = new Trace();
    let valid = true;
    const k = kinds(trace, { valid: () => valid });
    await run([n('a')], [], k);
    valid = false;
    const again = await run([n('a')], [], k);
    expect(again.outcome.states).toEqual({ a: 'succeeded' });
    expect(trace.runs.get('a')).toBe(2);
  });

  it('puts outside facts in the key: a changed identity reruns the step', async () => {
    const trace = new Trace();
    let hash = 'v1';
    const k = kinds(trace);
    k.step = { ...k.step, identity: async () => ({ key: hash, value: hash }) } as KindRunner;
    await run([n('a'), n('b')], [e('a', 'b')], k);
    expect((await run([n('a'), n('b')], [e('a', 'b')], k)).outcome.states).toEqual({ a: 'cached', b: 'cached' });
    hash = 'v2';
    expect((await run([n('a'), n('b')], [e('a', 'b')], k)).outcome.states).toEqual({ a: 'succeeded', b: 'succeeded' });
  });

  it('skips only the steps downstream of a failure, with the reason, and runs the rest', async () => {
    const trace = new Trace();
    const nodes = [n('a'), n('bad', 'fail'), n('after'), n('later'), n('other'), n('otherNext')];
    const edges = [e('a', 'bad'), e('bad', 'after'), e('after', 'later'), e('a', 'other'), e('other', 'otherNext')];
    const { outcome, final } = await run(nodes, edges, kinds(trace));
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toBe('step "bad" failed: this step always fails');
    expect(outcome.error?.details).toMatchObject({ nodeId: 'bad', field: 'value' });
    expect(outcome.states).toEqual({
      a: 'succeeded',
      bad: 'failed',
      after: 'skipped',
      later: 'skipped',
      other: 'succeeded',
      otherNext: 'succeeded',
    });
    expect(final('after')?.reason).toBe('upstream step "bad" failed');
    expect(final('later')?.reason).toBe('upstream step "after" was skipped');
    expect(final('bad')?.error).toMatchObject({ code: 'invalid_argument', message: 'this step always fails' });
    expect(trace.runs.has('after')).toBe(false);
  });

  it('does not cache a failure: the failed step runs again next time', async () => {
    const trace = new Trace();
    await run([n('bad', 'fail')], [], kinds(trace));
    await run([n('bad', 'fail')], [], kinds(trace));
    expect(trace.runs.get('bad')).toBe(2);
  });

  it('reports an unmet gate as its own outcome, with the step output kept', async () => {
    const trace = new Trace();
    const { outcome, final } = await run(
      [n('a'), n('eval', 'gate'), n('register')],
      [e('a', 'eval'), e('eval', 'register')],
      kinds(trace),
    );
    expect(outcome.status).toBe('gate_failed');
    expect(outcome.error?.code).toBe('gate_failed');
    expect(final('eval')?.output).toEqual({ metrics: { accuracy: 0.5 } });
    expect(final('register')?.state).toBe('skipped');
    // Any other failure outranks a gate.
    const both = await run([n('eval', 'gate'), n('bad', 'fail')], [], kinds(trace));
    expect(both.outcome.status).toBe('failed');
  });

  it('cancels: the running step stops through its signal, queued steps are skipped', async () => {
    const trace = new Trace();
    const abort = new AbortController();
    const wait = (id: string, signal: AbortSignal) =>
      id === 'slow'
        ? new Promise<void>((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(new Error('stopped')));
            abort.abort();
          })
        : Promise.resolve();
    const nodes = [
      n('a'),
      n('slow', 'step', { value: 1 }),
      n('after', 'step', { value: 2 }),
      n('queued', 'step', { value: 3 }),
    ];
    const { outcome, final } = await run(
      nodes,
      [e('a', 'slow'), e('slow', 'after'), e('a', 'queued')],
      kinds(trace, { wait }),
      {
        concurrency: 1,
        signal: abort.signal,
      },
    );
    expect(outcome.status).toBe('cancelled');
    expect(outcome.states).toEqual({ a: 'succeeded', slow: 'failed', after: 'skipped', queued: 'skipped' });
    expect(final('slow')?.error?.code).toBe('cancelled');
    expect(final('queued')?.reason).toBe('the run was cancelled');
    expect(trace.runs.has('queued')).toBe(false);
    // Nothing half-made is left in the cache.
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(cache.dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it("carries a table's source dataset version through steps whose inputs share one, fresh or cached", async () => {
    const trace = new Trace();
    const seen = new Map<string, (string | undefined)[]>();
    const k = kinds(trace);
    const step = k.step as KindRunner;
    const sourced: KindRunner = {
      version: 1,
      async run(ctx) {
        const file = path.join(ctx.outDir, 'out.txt');
        await writeFile(file, String(ctx.node.params.version));
        return { output: {}, ports: { data: { type: 'table', file, source: String(ctx.node.params.version) } } };
      },
    };
    const look: KindRunner = {
      version: 1,
      async run(ctx) {
        seen.set(
          ctx.node.id,
          Object.values(ctx.inputs).map((v) => (v.type === 'table' ? v.source : undefined)),
        );
        return step.run(ctx);
      },
    };
    // a -> one -> lookOne: one source all the way; a and b -> both -> lookBoth: two sources, none carried.
    const nodes = [
      n('a', 'sourced', { version: 'v1' }),
      n('b', 'sourced', { version: 'v2' }),
      n('one', 'step', { value: 1 }),
      n('both', 'step', { value: 2 }),
      n('lookOne', 'look'),
      n('lookBoth', 'look', { value: 3 }),
    ];
    const edges = [e('a', 'one'), e('one', 'lookOne'), e('a', 'both'), e('b', 'both', 'other'), e('both', 'lookBoth')];
    const first = await run(nodes, edges, { ...k, sourced, look });
    expect(first.outcome.status).toBe('succeeded');
    expect(Object.fromEntries(seen)).toEqual({ lookOne: ['v1'], lookBoth: [undefined] });
    // A cached step hands on the source too: only the looking steps run again (they are changed).
    seen.clear();
    const again = await run(
      nodes.map((x) => (x.kind === 'look' ? { ...x, params: { ...x.params, again: true } } : x)),
      edges,
      { ...k, sourced, look },
    );
    expect(again.outcome.states).toMatchObject({ one: 'cached', both: 'cached', lookOne: 'succeeded' });
    expect(Object.fromEntries(seen)).toEqual({ lookOne: ['v1'], lookBoth: [undefined] });
  });
});
