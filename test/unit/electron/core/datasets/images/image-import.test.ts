// Image datasets through the service, as a host imports them (a job process each): a folder of
// class folders becomes version 1 with its counts and hash, the same pictures again make nothing,
// five more make version 2; the profile and the thumbnail pages; a cancel.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { ImageProfile, type ImportResult } from '../../../../../../shared/api.js';
import { thumbnailForUrl } from '../../../../../../electron/core/datasets/images/image-store.js';
import type { CairnService } from '../../../../../../electron/core/service.js';
import { HOLD_IMPORT_ENV } from '../../../../../../electron/core/jobs/test-hold.js';
import { filesUnder, freshService, tempDir } from '../../helpers.js';
import { addFive, makePictureFolder } from './picture-folders.js';

let service: CairnService;
let home: string;
let close: () => Promise<void>;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ service, home, close } = await freshService());
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => {
  await close();
  await cleanup();
});

async function call<T>(method: string, arg: unknown): Promise<T> {
  const reply = await service.call(method, arg);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}

const importNow = (arg: Record<string, unknown>) => call<ImportResult>('datasets.importNow', arg);

describe('image import', () => {
  const folder = () => path.join(dir, 'shapes');
  let v1: ImportResult;

  it('imports a folder of class folders as version 1, listing the unreadable file', async () => {
    await makePictureFolder(folder());
    v1 = await importNow({ path: folder() });
    expect(v1).toMatchObject({ kind: 'images', name: 'shapes', version: 1, created: true, rows: 12 });
    expect(v1.images?.classes).toEqual({ red: 4, green: 5, blue: 3 });
    expect(v1.images?.skipped.map((f) => f.file)).toEqual(['blue/broken.png']);
    expect(v1.images?.skipped[0]?.reason).toMatch(/damaged|not a picture/);
    const [listed] = await call<{ kind: string; rows: number; columns: number }[]>('datasets.list', {});
    expect(listed).toMatchObject({ kind: 'images', rows: 12, columns: 3 });
    const detail = await call<{ version: { contentHash: string; sourceFormat: string } }>('datasets.get', {
      ref: 'shapes',
    });
    expect(detail.version.sourceFormat).toBe('folder');
    expect(detail.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates nothing when the same pictures are imported again, and version 2 when five are added', async () => {
    const again = await importNow({ path: folder() });
    expect(again).toMatchObject({ created: false, version: 1, versionId: v1.versionId });
    await addFive(folder());
    const v2 = await importNow({ path: folder() });
    expect(v2).toMatchObject({ created: true, version: 2, rows: 17 });
    expect(v2.images?.classes.red).toBe(9);
    const detail = await call<{ versions: { contentHash: string }[] }>('datasets.get', { ref: 'shapes' });
    expect(new Set(detail.versions.map((v) => v.contentHash)).size).toBe(2);
  });

  it('finds the same pictures packed in a zip already imported, and imports a zip under a new name', async () => {
    const zip = new yazl.ZipFile();
    for (const file of await filesUnder(folder())) zip.addFile(path.join(folder(), file), `shapes/${file}`);
    zip.end();
    const file = path.join(dir, 'shapes.zip');
    await pipeline(zip.outputStream, createWriteStream(file));
    expect(await importNow({ path: file })).toMatchObject({ kind: 'images', created: false, version: 2 });
    const copy = await importNow({ path: file, name: 'zipped' });
    expect(copy).toMatchObject({ created: true, version: 1, rows: 17 });
    const detail = await call<{ version: { sourceFormat: string } }>('datasets.get', { ref: 'zipped' });
    expect(detail.version.sourceFormat).toBe('zip');
  });

  it('profiles a version: classes, sizes, colour modes, formats, duplicates across classes, unreadable files', async () => {
    const p = await call<ImageProfile>('datasets.imageProfile', { versionId: v1.versionId });
    expect(p.images).toBe(12);
    expect(p.classes).toEqual([
      { value: 'green', count: 5 },
      { value: 'red', count: 4 },
      { value: 'blue', count: 3 },
    ]);
    expect(p.sizes).toEqual([
      { value: '8×8', count: 11 },
      { value: '16×16', count: 1 },
    ]);
    expect(p.width).toEqual({ min: 8, median: 8, max: 16 });
    expect(p.aspectRatios.find((b) => b.lo === 0.95)?.count).toBe(12);
    // The widest bin is open, and the profile crosses JSON (the browser host) unchanged.
    expect(p.aspectRatios.at(-1)).toMatchObject({ lo: 2, hi: null });
    expect(ImageProfile.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
    expect(p.formats.map((f) => f.value).sort()).toEqual(['gif', 'jpeg', 'png', 'tiff', 'webp']);
    expect(p.colourModes.reduce((n, m) => n + m.count, 0)).toBe(12);
    expect(p.duplicates).toMatchObject({ groups: 1, crossClassGroups: 1 });
    expect(p.duplicates.sample[0]).toMatchObject({ labels: ['green', 'red'], crossClass: true });
    expect(p.unreadable.count).toBe(1);
    expect(p.unreadable.files.map((f) => f.file)).toEqual(['blue/broken.png']);
  });

  it('pages through a class with thumbnails stored once, at the URL the hosts serve', async () => {
    const page = await call<{ total: number; items: { id: string; label: string; thumbnailUrl: string }[] }>(
      'datasets.images',
      { versionId: v1.versionId, label: 'red', offset: 1, limit: 2 },
    );
    expect(page.total).toBe(4);
    expect(page.items.map((i) => i.label)).toEqual(['red', 'red']);
    const file = thumbnailForUrl(path.join(home, 'datasets'), page.items[0]?.thumbnailUrl ?? '');
    expect(file).toBeDefined();
    const bytes = await readFile(file as string);
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
  });

  it('is refused by the table models with a message that says why', async () => {
    await expect(call('runs.start', { dataset: 'shapes', target: 'label', model: 'mlp' })).rejects.toThrow(
      /shapes holds pictures/,
    );
  });

  it('cancels an import held by the test hook, leaving no dataset and no work files', async () => {
    const held = path.join(dir, 'held-pictures');
    await makePictureFolder(held);
    process.env[HOLD_IMPORT_ENV] = 'held-pictures';
    try {
      const progressed = new Promise<string>((resolve) => {
        const off = service.events.subscribe((event, payload) => {
          if (event === 'job.progress' && (payload as { phase: string }).phase === 'saving') {
            off();
            resolve((payload as { jobId: string }).jobId);
          }
        });
      });
      const finished = new Promise<string>((resolve) => {
        const off = service.events.subscribe((event, payload) => {
          if (event === 'job.finished') {
            off();
            resolve((payload as { status: string }).status);
          }
        });
      });
      const started = await call<{ jobId: string }>('datasets.import', { path: held });
      expect(await progressed).toBe(started.jobId);
      expect(await call<{ cancelled: boolean }>('jobs.cancel', { jobId: started.jobId })).toEqual({ cancelled: true });
      expect(await finished).toBe('cancelled');
    } finally {
      delete process.env[HOLD_IMPORT_ENV];
    }
    expect((await call<{ name: string }[]>('datasets.list', {})).map((d) => d.name)).not.toContain('held-pictures');
    expect(await filesUnder(path.join(home, 'work'))).toEqual([]);
  });
});
