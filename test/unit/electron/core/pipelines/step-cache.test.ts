// The step cache: an entry comes back with its paths made absolute, and a damaged result.json is
// a miss that drops the entry instead of failing the pipeline, as is one whose table is gone; the
// cache evicts entries unused too long, then the least recently used beyond its size.
import { access, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepCache, type StepResult } from '../../../../../electron/core/pipelines/step-cache.js';
import { tempDirFor } from '../helpers.js';

const tmp = tempDirFor('each test', 'cairn-step-cache-');

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

async function stored(cache: StepCache, key: string): Promise<StepResult> {
  const tmp = await cache.begin();
  await writeFile(path.join(tmp, 'data.parquet'), 'x');
  const result = {
    output: { rows: 1 },
    ports: { data: { type: 'table', file: path.join(tmp, 'data.parquet') } },
  } as unknown as StepResult;
  return cache.commit(key, tmp, result);
}

describe('StepCache', () => {
  it('gives back a committed entry with absolute paths inside it', async () => {
    const cache = new StepCache(path.join(tmp.dir, 'cache'));
    await cache.sweep();
    const committed = await stored(cache, 'k1');
    expect(await cache.get('k1')).toEqual(committed);
    expect((committed.ports.data as { file: string }).file).toBe(path.join(tmp.dir, 'cache', 'k1', 'data.parquet'));
  });

  it('takes a damaged result.json for a miss and drops the entry', async () => {
    const cache = new StepCache(path.join(tmp.dir, 'cache'));
    await cache.sweep();
    for (const [key, text] of [
      ['cut', '{"output": {"rows": 1}, "po'],
      ['empty', ''],
      ['null', 'null'],
      ['shape', '{"output": 1}'],
    ] as const) {
      await stored(cache, key);
      await writeFile(path.join(tmp.dir, 'cache', key, 'result.json'), text);
      expect(await cache.get(key)).toBeUndefined();
      expect(await exists(path.join(tmp.dir, 'cache', key))).toBe(false);
    }
  });

  it('takes an entry whose table file is gone for a miss and drops it', async () => {
    const cache = new StepCache(path.join(tmp.dir, 'cache'));
    await cache.sweep();
    const committed = await stored(cache, 'k1');
    await rm((committed.ports.data as { file: string }).file);
    expect(await cache.get('k1')).toBeUndefined();
    expect(await exists(path.join(tmp.dir, 'cache', 'k1'))).toBe(false);
  });

  it('evicts entries unused past the age limit, then the least recently used beyond the size limit', async () => {
    const cache = new StepCache(path.join(tmp.dir, 'cache'));
    await cache.sweep();
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const usedAt = async (key: string, at: number) => {
      const t = new Date(at);
      await utimes(path.join(tmp.dir, 'cache', key, 'result.json'), t, t);
    };
    for (const key of ['old', 'a', 'b', 'c']) await stored(cache, key);
    await usedAt('old', now - 40 * day);
    await usedAt('a', now - 3 * day);
    await usedAt('b', now - 2 * day);
    await usedAt('c', now - 1 * day);
    // Reading an entry marks it used: 'a' becomes the most recent.
    expect(await cache.get('a')).toBeDefined();
    // Each entry is its 1-byte table plus its result.json: room for two of them.
    const one = (await stat(path.join(tmp.dir, 'cache', 'a', 'result.json'))).size + 1;
    const { evicted } = await cache.sweep({ maxBytes: 2 * one, maxAgeMs: 30 * day }, now);
    expect(evicted).toBe(2);
    for (const [key, kept] of [
      ['old', false],
      ['a', true],
      ['b', false],
      ['c', true],
    ] as const)
      expect(await exists(path.join(tmp.dir, 'cache', key)), key).toBe(kept);
  });
});
