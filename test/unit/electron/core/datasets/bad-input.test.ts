// The bad-input corpus (test/fixtures/bad-input/cases.ts) through the whole service: a job
// process per import, as the app runs it. Every failure must name the file and leave the data
// folder as it was: nothing listed, no rows in app.db, no files in work/ or datasets/.
import { copyFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult, JobProgress } from '../../../../../shared/api.js';
import { BIG_FIELD, cases, FIXTURE_DIR, type BadInputCase } from '../../../../fixtures/bad-input/cases.js';
import type { CairnService } from '../../../../../electron/core/service.js';
import { freshService, leftovers, NOTHING_LEFT, tempDir } from '../helpers.js';

let srcDir: string;
let cleanupSrc: () => Promise<void>;
let current: Awaited<ReturnType<typeof freshService>>;

beforeAll(async () => {
  ({ dir: srcDir, cleanup: cleanupSrc } = await tempDir('cairn-corpus-'));
});
afterAll(async () => cleanupSrc());
beforeEach(async () => {
  current = await freshService();
});
afterEach(async () => current.close());

/** The case's file, generated or copied into a temp folder so no test can touch the fixtures. */
async function sourceFor(c: BadInputCase): Promise<string> {
  const file = path.join(srcDir, c.file);
  if (c.generate) await c.generate(file);
  else await copyFile(path.join(FIXTURE_DIR, c.file), file);
  return file;
}

function label(c: BadInputCase): string {
  return `${c.file}${c.badRows ? ` (${c.badRows})` : ''}: ${c.what}`;
}

describe('bad-input corpus through the service', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', { timeout: 60_000 }, async (_label, c) => {
    const { service, home } = current;
    const file = await sourceFor(c);
    const reply = await service.call('datasets.importNow', { path: file, badRows: c.badRows ?? 'fail' });
    const want = c.expect;

    if (want.outcome === 'failed') {
      expect(reply.ok, JSON.stringify(reply)).toBe(false);
      if (reply.ok) return;
      expect(reply.error.code).toBe(want.code);
      expect(reply.error.message).toContain(c.file);
      for (const fragment of want.message) expect(reply.error.message).toContain(fragment);
      if (want.line !== undefined) expect(reply.error.details?.line).toBe(want.line);
      if (want.column !== undefined) expect(reply.error.details?.column).toBe(want.column);
      if (want.badLines) {
        const lines = reply.error.details?.lines as { line: number; reason: string }[];
        expect(lines.map((l) => l.line)).toEqual(want.badLines);
        expect(reply.error.details?.count).toBe(want.badLines.length);
      }
      expect(await leftovers(service, home)).toEqual(NOTHING_LEFT);
      return;
    }

    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    if (!reply.ok) return;
    const result = reply.result as ImportResult;
    expect(result.created).toBe(true);
    expect(result.rows).toBe(want.rows);
    expect(result.skippedRows).toBe(want.skippedRows ?? 0);
    if (want.columnCount !== undefined) expect(result.columns).toHaveLength(want.columnCount);
    if (want.columns) {
      expect(result.columns.map((col) => col.name)).toEqual(want.columns.map((col) => col.name));
      want.columns.forEach((expected, i) => expect(result.columns[i]).toMatchObject(expected));
    }
    const detail = await service.invoke('datasets.get', { ref: result.versionId });
    expect(detail.version.skippedRows).toBe(want.skippedRows ?? 0);
    // The import's own reply says the same as the version the dataset page shows.
    expect(result.warnings).toEqual(detail.version.warnings);
    if (want.warnings.length === 0) expect(detail.version.warnings).toEqual([]);
    for (const fragment of want.warnings) {
      expect(
        detail.version.warnings.some((w) => w.includes(fragment)),
        `${fragment} in ${JSON.stringify(detail.version.warnings)}`,
      ).toBe(true);
    }
    if (want.firstRows) {
      const page = await service.invoke('datasets.rows', { versionId: result.versionId, limit: want.firstRows.length });
      const cells = page.rows.map((row, i) => row.slice(1, 1 + (want.firstRows?.[i]?.length ?? 0)));
      expect(cells).toEqual(want.firstRows);
      expect(page.total).toBe(want.rows);
    }
  });

  it('keeps a 1 MiB field whole, newlines and commas included', async () => {
    const c = cases.find((x) => x.file === 'big-field-1mb.csv');
    if (!c) throw new Error('case missing');
    const file = await sourceFor(c);
    const { service } = current;
    const result = await service.invoke('datasets.importNow', { path: file });
    const page = await service.invoke('datasets.rows', { versionId: result.versionId, limit: 1 });
    const blob = page.rows[0]?.[2];
    expect(typeof blob).toBe('string');
    expect((blob as string).length).toBe(BIG_FIELD.length);
    expect((blob as string).startsWith('ab,c\nab,c\n')).toBe(true);
  });
});

/** A CSV big enough that reading it takes a good fraction of a second. */
async function bigCsv(file: string, rows = 1_500_000): Promise<void> {
  const lines = ['id,x,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 0.37).toFixed(2)},k${i % 7}`);
  await writeFile(file, `${lines.join('\n')}\n`);
}

function firstProgress(service: CairnService): Promise<JobProgress> {
  return new Promise((resolve) => {
    const off = service.events.subscribe((event, payload) => {
      if (event === 'job.progress') {
        off();
        resolve(payload as JobProgress);
      }
    });
  });
}

describe('imports interrupted on the way', () => {
  it('fails clearly, and leaves nothing, when the file is deleted during the import', async () => {
    const { service, home } = current;
    const file = path.join(srcDir, 'deleted-during-import.csv');
    await bigCsv(file);
    // Delete on the first progress event: the job is past its start and still reading.
    void firstProgress(service).then(() => rm(file));
    const reply = await service.call('datasets.importNow', { path: file });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code, reply.error.message).toMatch(/^(import_failed|not_found)$/);
    expect(reply.error.message).toContain('deleted-during-import.csv');
    expect(reply.error.message).toMatch(/deleted or moved|not found/);
    expect(await leftovers(service, home)).toEqual(NOTHING_LEFT);
  });

  it('cancels a running import: job.finished says cancelled, and nothing is left', async () => {
    const { service, home } = current;
    const file = path.join(srcDir, 'cancelled.csv');
    await bigCsv(file);
    const finished = new Promise<{ status: string; error?: { code: string } }>((resolve) => {
      service.events.subscribe((event, payload) => {
        if (event === 'job.finished') resolve(payload as { status: string; error?: { code: string } });
      });
    });
    const progressed = firstProgress(service);
    const { jobId } = await service.invoke('datasets.import', { path: file });
    await progressed;
    expect(await service.invoke('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    const outcome = await finished;
    expect(outcome.status).toBe('cancelled');
    expect(outcome.error?.code).toBe('cancelled');
    // A second cancel finds nothing to cancel.
    expect(await service.invoke('jobs.cancel', { jobId })).toEqual({ cancelled: false });
    expect(await leftovers(service, home)).toEqual(NOTHING_LEFT);
  });
});
