// The shipped sample datasets: every listed file is there and imports as users' files do, with the
// row and column counts the list claims and a suggested target of the right kind; the folder is
// found beside an installed app's resources and otherwise in the repository.
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/api.js';
import { findSample, samplePath, SAMPLES, samplesDir } from '../../../../electron/core/samples.js';
import { freshService, tempDir } from './helpers.js';

const REPO_SAMPLES = path.resolve(import.meta.dirname, '../../../../resources/samples');

let svc: Awaited<ReturnType<typeof freshService>>;
beforeAll(async () => {
  svc = await freshService();
});
afterAll(async () => {
  await svc.close();
});

describe('sample datasets', () => {
  it('lists every CSV in resources/samples once, under a unique id', () => {
    const files = readdirSync(REPO_SAMPLES)
      .filter((f) => f.endsWith('.csv'))
      .sort();
    expect(SAMPLES.map((s) => s.file).sort()).toEqual(files);
    expect(new Set(SAMPLES.map((s) => s.id)).size).toBe(SAMPLES.length);
  });

  it.each(SAMPLES.map((s) => [s.id, s] as const))('%s imports cleanly with its target', async (_id, sample) => {
    const result = await svc.service.invoke('datasets.importNow', { path: samplePath(sample.id), name: sample.id });
    expect(result).toMatchObject({ name: sample.id, rows: sample.rows, skippedRows: 0, created: true });
    expect(result.columns).toHaveLength(sample.columns);
    const target = result.columns.find((c) => c.name === sample.target);
    expect(target, `target column "${sample.target}"`).toBeDefined();
    expect(target?.missing).toBe(0);
    if (sample.task === 'classification') expect(target?.type).toBe('categorical');
    else expect(['numeric', 'integer']).toContain(target?.type);
    // Every feature reads as its own type: nothing left as text that should have been a number.
    expect(result.columns.filter((c) => c.invalid > 0)).toEqual([]);
  });

  it('finds the folder beside an installed app, and falls back to the repository', async () => {
    const { dir, cleanup } = await tempDir('cairn-resources-');
    try {
      expect(samplesDir(undefined)).toBe(REPO_SAMPLES);
      expect(samplesDir(dir)).toBe(REPO_SAMPLES);
      await mkdir(path.join(dir, 'samples'));
      expect(samplesDir(dir)).toBe(path.join(dir, 'samples'));
      expect(samplePath('iris', samplesDir(dir))).toBe(path.join(dir, 'samples', 'iris.csv'));
    } finally {
      await cleanup();
    }
  });

  it('names the samples there are when asked for one that is not', () => {
    expect(() => findSample('titanic')).toThrow(/No sample dataset "titanic"; there are: iris, penguins/);
  });
});

describe('samples through the contract', () => {
  it('lists the samples without their file names, and imports one by id as a job', async () => {
    const list = await svc.service.invoke('samples.list', {});
    expect(list.map((s) => s.id)).toEqual(SAMPLES.map((s) => s.id));
    expect(list[0]).not.toHaveProperty('file');
    const finished = new Promise<EventPayload<'job.finished'>>((resolve) => {
      const off = svc.service.events.subscribe((event, payload) => {
        if (event !== 'job.finished') return;
        off();
        resolve(payload as EventPayload<'job.finished'>);
      });
    });
    const started = await svc.service.invoke('samples.import', { id: 'wine' });
    const done = await finished;
    expect(done).toMatchObject({ jobId: started.jobId, status: 'succeeded', result: { name: 'wine' } });
    await expect(svc.service.invoke('samples.import', { id: 'nope' })).rejects.toThrow(/No sample dataset "nope"/);
  });
});
