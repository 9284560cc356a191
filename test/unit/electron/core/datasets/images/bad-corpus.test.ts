// Issue 12's bad-input corpus (test/fixtures/images/corpus, rebuilt by make-corpus.ts) imported
// through the service: the good pictures in every colour mode are in, each bad file is skipped
// with a reason that says what is wrong with it, a link loop and an empty class folder change
// nothing, and one class, no pictures or an unsafe zip fail the whole import with one message
// and leave the datasets list as it was.
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { ImageItem, ImportResult } from '../../../../../../shared/api.js';
import { importImages } from '../../../../../../electron/core/datasets/images/import-images.js';
import type { CairnService } from '../../../../../../electron/core/service.js';
import { freshService, serviceCaller, tempDir } from '../../helpers.js';
import { imagesInput, square } from './picture-folders.js';

const CORPUS = path.join(import.meta.dirname, '../../../../../fixtures/images/corpus');

let service: CairnService;
let call: ReturnType<typeof serviceCaller>;
let stop: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  const started = await freshService();
  ({ service } = started);
  call = serviceCaller(service);
  const temp = await tempDir();
  dir = temp.dir;
  stop = async () => {
    await started.close();
    await temp.cleanup();
  };
});
afterAll(() => stop());

const importNow = (arg: Record<string, unknown>) => call<ImportResult>('datasets.importNow', arg);
const listed = () => call<{ name: string; versions: number }[]>('datasets.list', {});

/** An import that must fail: its one message, and the datasets list before and after it. */
async function failedImport(file: string): Promise<string> {
  const before = await listed();
  const reply = await service.call('datasets.importNow', { path: file });
  expect(reply.ok).toBe(false);
  expect(await listed()).toEqual(before);
  return reply.ok ? '' : reply.error.message;
}

/** Every picture of a version, by file. */
async function pictures(versionId: string): Promise<Map<string, ImageItem>> {
  const page = await call<{ items: ImageItem[] }>('datasets.images', { versionId, offset: 0, limit: 100 });
  return new Map(page.items.map((i) => [i.file, i]));
}

describe('the bad-input picture corpus', () => {
  const corpus = () => path.join(dir, 'corpus');
  let result: ImportResult;

  beforeAll(async () => {
    await cp(CORPUS, corpus(), { recursive: true });
    // What git cannot store: an empty class folder, and a link that leads round in a loop.
    await mkdir(path.join(corpus(), 'birds'));
    await symlink('..', path.join(corpus(), 'dogs', 'loop'));
  });

  it('imports the good pictures, keeping a picture two folders deep in its class and ignoring the empty folder', async () => {
    result = await importNow({ path: corpus() });
    expect(result).toMatchObject({ kind: 'images', name: 'corpus', version: 1, created: true, rows: 10 });
    expect(result.images?.classes).toEqual({ cats: 5, dogs: 5 });
    const got = await pictures(result.versionId);
    expect([...got.keys()].sort()).toEqual([
      'cats/alpha.png',
      'cats/c1.png',
      'cats/c2.jpg',
      'cats/sixteen-bit.png',
      'cats/été chat 1.png',
      'dogs/animated.gif',
      'dogs/cmyk.jpg',
      'dogs/d1.png',
      'dogs/d2.jpg',
      'dogs/more/deeper/nested.png',
    ]);
    expect(got.get('dogs/more/deeper/nested.png')?.label).toBe('dogs');
    expect(got.get('cats/alpha.png')?.colourMode).toBe('rgba');
    expect(got.get('dogs/cmyk.jpg')?.colourMode).toBe('cmyk');
    expect(got.get('cats/sixteen-bit.png')).toMatchObject({ format: 'png', colourMode: 'rgb' });
    // The first frame only: a GIF of two 16 px frames is one 16 × 16 picture, not 16 × 32.
    expect(got.get('dogs/animated.gif')).toMatchObject({ format: 'gif', width: 16, height: 16 });
  });

  it('skips each bad file with the reason it is bad, and follows no link', async () => {
    const reasons = Object.fromEntries((result.images?.skipped ?? []).map((s) => [s.file, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'cats/corrupt.png',
      'cats/empty.png',
      'cats/not-really.jpg',
      'dogs/bomb.png',
      'dogs/loop',
      'dogs/notes.txt',
      'dogs/truncated.jpg',
    ]);
    expect(reasons['cats/empty.png']).toBe('the file is empty');
    expect(reasons['cats/corrupt.png']).toMatch(/^the picture is damaged \(.*libpng read error\)$/);
    expect(reasons['dogs/truncated.jpg']).toMatch(/^the picture is damaged \(premature end of JPEG image\)$/);
    expect(reasons['cats/not-really.jpg']).toMatch(/^not a picture Cairn reads/);
    expect(reasons['dogs/notes.txt']).toMatch(/^not a picture Cairn reads/);
    expect(reasons['dogs/bomb.png']).toBe('50,000 × 50,000 pixels is more than the 50,000,000 a picture may have');
    expect(reasons['dogs/loop']).toBe('a link: links are not followed');
  });

  it('gives each damaged picture its own reason, however many fail together', async () => {
    // libvips keeps one error message per process: decoding four at a time used to lose one
    // failing picture's reason to another's ("Unknown error") in about half of the imports.
    for (let i = 0; i < 6; i++) {
      const out = await importImages(
        imagesInput(corpus(), 'folder', {
          workDir: path.join(dir, `work-${i}`),
          storeDir: path.join(dir, `store-${i}`),
        }),
        () => undefined,
      );
      expect(out.kind).toBe('createdImages');
      const reasons = out.kind === 'createdImages' ? out.summary.skipped.map((s) => s.reason) : [];
      expect(reasons.filter((r) => /Unknown error|\(\)/.test(r))).toEqual([]);
    }
  });

  it('fails a copy with one class only, with one message', async () => {
    const one = path.join(dir, 'one-class');
    await cp(path.join(CORPUS, 'cats'), path.join(one, 'cats'), { recursive: true });
    expect(await failedImport(one)).toBe(
      'one-class holds pictures of one class only (3 files could not be read): a classifier needs at least two, one subfolder each',
    );
  });

  it('fails a folder with no pictures, with one message', async () => {
    const none = path.join(dir, 'no-pictures');
    await cp(path.join(CORPUS, 'cats', 'not-really.jpg'), path.join(none, 'cats', 'not-really.jpg'));
    await cp(path.join(CORPUS, 'dogs', 'notes.txt'), path.join(none, 'dogs', 'notes.txt'));
    await mkdir(path.join(none, 'birds'));
    expect(await failedImport(none)).toBe(
      'no-pictures holds no pictures Cairn can read (2 files could not be read): put them in one subfolder per class',
    );
  });

  it('fails a zip with a ".." entry as a whole, with one message', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(await square([200, 0, 0], 'png'), 'cats/a.png');
    zip.addBuffer(await square([0, 0, 200], 'png'), 'dogs/b.png');
    // yazl refuses to write a ".." name: the entry is written under a name of the same length,
    // renamed in the archive's bytes (its local header and its central directory record).
    zip.addBuffer(await square([0, 200, 0], 'png'), 'zz/evil.png');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const file = path.join(dir, 'evil.zip');
    await writeFile(
      file,
      Buffer.from(Buffer.concat(chunks).toString('latin1').replaceAll('zz/evil.png', '../evil.png'), 'latin1'),
    );
    expect(await failedImport(file)).toMatch(/^evil\.zip .*"\.\.\/evil\.png" climbs out of the archive's folder/);
  });
});
