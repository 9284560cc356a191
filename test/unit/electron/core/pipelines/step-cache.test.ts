// The step cache: an entry comes back with its paths made absolute, and a damaged result.json is
// a miss that drops the entry instead of failing the pipeline.
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepCache, type StepResult } from '../../../../../electron/core/pipelines/step-cache.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('cairn-step-cache-'));
});

afterEach(async () => {
  await cleanup();
});

const exists = (p: string) => access(p).then(() => true, () => false);

async function stored(cache: StepCache, key: string): Promise<StepResult> {
  const tmp = await cache.begin();
  await writeFile(path.join(tmp, 'data.parquet'), 'x');
  const result = { output: { rows: 1 }, ports: { data: { type: 'table', file: path.join(tmp, 'data.parquet') } } } as unknown as StepResult;
  return cache.commit(key, tmp, result);
}

describe('StepCache', () => {
  it('gives back a committed entry with absolute paths inside it', async () => {
    const cache = new StepCache(path.join(dir, 'cache'));
    await cache.sweep();
    const committed = await stored(cache, 'k1');
    expect(await cache.get('k1')).toEqual(committed);
    expect((committed.ports.data as { file: string }).file).toBe(path.join(dir, 'cache', 'k1', 'data.parquet'));
  });

  it('takes a damaged result.json for a miss and drops the entry', async () => {
    const cache = new StepCache(path.join(dir, 'cache'));
    await cache.sweep();
    for (const [key, text] of [
      ['cut', '{"output": {"rows": 1}, "po'],
      ['empty', ''],
      ['null', 'null'],
      ['shape', '{"output": 1}'],
    ] as const) {
      await stored(cache, key);
      await writeFile(path.join(dir, 'cache', key, 'result.json'), text);
      expect(await cache.get(key)).toBeUndefined();
      expect(await exists(path.join(dir, 'cache', key))).toBe(false);
    }
  });
});
