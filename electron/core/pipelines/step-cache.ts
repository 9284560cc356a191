// The pipeline step cache: one folder per step key under <data folder>/pipelines/cache, holding
// the step's files (tables as Parquet) and result.json, which is written last and renamed into
// place with its folder, so an entry is either whole or absent. Paths inside an entry are stored
// relative to it, so the data folder can move.
import { randomUUID } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StepOutput } from '../../../shared/pipeline.js';
import { fsyncDir, fsyncFile } from '../durable-fs.js';
import { relativeInside } from '../paths.js';
import type { PortValue } from './ports.js';

/** What a step hands on (port values) and shows (output). */
export interface StepResult {
  output: StepOutput;
  ports: Record<string, PortValue>;
}

const RESULT = 'result.json';

/**
 * What the cache may keep, checked when the data folder opens: entries unused for longer than
 * maxAgeMs go, then the least recently used until the rest fit in maxBytes. A miss only costs a
 * rerun of that step; an unbounded cache fills a laptop's disk with copies of every table.
 */
export interface CacheLimits {
  maxBytes: number;
  maxAgeMs: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxBytes: 2 * 1024 ** 3, maxAgeMs: 30 * 24 * 3600 * 1000 };

export class StepCache {
  constructor(readonly dir: string) {}

  /** The entry for a key, with its file paths made absolute; undefined when there is none. */
  async get(key: string): Promise<StepResult | undefined> {
    const entry = path.join(this.dir, key);
    let text: string;
    try {
      text = await readFile(path.join(entry, RESULT), 'utf8');
    } catch {
      return undefined;
    }
    let stored: StepResult;
    try {
      stored = JSON.parse(text) as StepResult;
      if (
        typeof stored?.output !== 'object' ||
        stored.output === null ||
        typeof stored.ports !== 'object' ||
        stored.ports === null
      )
        throw new Error('not a step result');
    } catch {
      // A damaged entry (a disk error, an edit by hand) is a miss: the step runs again and writes it anew.
      await this.drop(key);
      return undefined;
    }
    const result = { output: stored.output, ports: mapFiles(stored.ports, (f) => path.resolve(entry, f)) };
    // A table may live in another entry (a step that passed its input on) that eviction removed.
    for (const v of Object.values(result.ports)) {
      if (v.type === 'table' && !(await exists(v.file))) {
        await this.drop(key);
        return undefined;
      }
    }
    // Marks the entry used, for eviction's least-recently-used order.
    const now = new Date();
    await utimes(path.join(entry, RESULT), now, now).catch(() => undefined);
    return result;
  }

  /** A fresh folder (in the cache's file system) for a step to write its files into. */
  async begin(): Promise<string> {
    const tmp = path.join(this.dir, `.tmp-${randomUUID()}`);
    await mkdir(tmp, { recursive: true });
    return tmp;
  }

  /** Makes a step's folder the entry for `key`; returns the result with paths inside the entry. */
  async commit(key: string, tmp: string, result: StepResult): Promise<StepResult> {
    const entry = path.join(this.dir, key);
    const stored = {
      output: result.output,
      ports: mapFiles(result.ports, (f) => relativeInside(tmp, f) ?? f),
    };
    const file = path.join(tmp, RESULT);
    await writeFile(file, JSON.stringify(stored));
    await fsyncFile(file);
    try {
      await rename(tmp, entry);
    } catch (err) {
      // Another step with the same key (or an earlier run) made it first: same inputs, same content.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw err;
      await rm(tmp, { recursive: true, force: true });
    }
    await fsyncDir(this.dir);
    return { output: result.output, ports: mapFiles(stored.ports, (f) => path.resolve(entry, f)) };
  }

  /** Throws an unfinished step's folder away. */
  async discard(tmp: string): Promise<void> {
    await rm(tmp, { recursive: true, force: true });
  }

  /** Removes an entry that no longer holds (e.g. its model version was deleted). */
  async drop(key: string): Promise<void> {
    await rm(path.join(this.dir, key), { recursive: true, force: true });
  }

  /** Removes folders of steps a crash left unfinished, then evicts what the limits do not allow. */
  async sweep(limits: CacheLimits = DEFAULT_CACHE_LIMITS, now = Date.now()): Promise<{ evicted: number }> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      if (name.startsWith('.tmp-')) await rm(path.join(this.dir, name), { recursive: true, force: true });
    }
    return this.evict(limits, now);
  }

  /** Drops entries unused past maxAgeMs, then the least recently used until the rest fit in maxBytes. */
  async evict(limits: CacheLimits, now = Date.now()): Promise<{ evicted: number }> {
    const entries: { key: string; usedAt: number; bytes: number }[] = [];
    for (const key of await readdir(this.dir)) {
      if (key.startsWith('.tmp-')) continue;
      try {
        const usedAt = (await stat(path.join(this.dir, key, RESULT))).mtimeMs;
        entries.push({ key, usedAt, bytes: await folderBytes(path.join(this.dir, key)) });
      } catch {
        // No result.json: not an entry of this cache's making; left alone.
      }
    }
    entries.sort((a, b) => b.usedAt - a.usedAt);
    let kept = 0;
    let evicted = 0;
    for (const e of entries) {
      if (now - e.usedAt > limits.maxAgeMs || kept + e.bytes > limits.maxBytes) {
        await this.drop(e.key);
        evicted++;
      } else kept += e.bytes;
    }
    return { evicted };
  }
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Bytes of the files under a folder. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    total += d.isDirectory() ? await folderBytes(p) : (await stat(p)).size;
  }
  return total;
}

function mapFiles(ports: Record<string, PortValue>, f: (file: string) => string): Record<string, PortValue> {
  return Object.fromEntries(
    Object.entries(ports).map(([k, v]) => [k, v.type === 'table' ? { ...v, file: f(v.file) } : v]),
  );
}
