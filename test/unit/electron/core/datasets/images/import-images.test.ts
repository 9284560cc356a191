// importImages in-process (as the job process runs it): lists of pictures in a CSV or Parquet
// file, a path that leaves the list's folder (by `..` or through a link), one class, and what it
// writes.
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuck, literal } from '../../../../../../electron/core/datasets/duck.js';
import {
  importImages,
  type ImageImportInput,
  type ImageImportOutcome,
} from '../../../../../../electron/core/datasets/images/import-images.js';
import { tempDirFor } from '../../helpers.js';
import { imagesInput, makePictureFolder, square } from './picture-folders.js';

const temp = tempDirFor('file', 'cairn-import-images-');
let n = 0;
const folder = () => path.join(temp.dir, 'shapes');
beforeAll(async () => makePictureFolder(folder()));

async function run(
  file: string,
  format: ImageImportInput['format'],
): Promise<ImageImportOutcome & { workDir: string }> {
  const workDir = path.join(temp.dir, `work-${n++}`);
  await mkdir(workDir);
  const outcome = await importImages(
    imagesInput(file, format, { workDir, storeDir: path.join(temp.dir, 'store') }),
    () => undefined,
  );
  return { ...outcome, workDir };
}

function created(o: ImageImportOutcome) {
  if (o.kind !== 'createdImages') throw new Error(`expected a new version, got ${o.kind}`);
  return o;
}

describe('importImages from a list', () => {
  it('imports the pictures a CSV lists, relative to its folder, skipping a missing one', async () => {
    const list = path.join(folder(), 'list.csv');
    await writeFile(list, 'path,label\nred/r0.png,warm\nred/r1.png,warm\nblue/b0.webp,cool\nmissing.png,cool\n');
    const r = await run(list, 'csv');
    const o = created(r);
    expect(o).toMatchObject({ rows: 3, summary: { classes: { warm: 2, cool: 1 } } });
    expect(o.summary.skipped).toEqual([{ file: 'missing.png', reason: 'no such file' }]);
    // It wrote only in its work folder: the index, and each new picture and thumbnail once.
    expect((await readdir(r.workDir)).filter((f) => f !== 'spill').sort()).toEqual([
      'index.ndjson',
      'index.parquet',
      'store',
    ]);
  });

  it('imports the pictures a Parquet file lists', async () => {
    const list = path.join(folder(), 'list.parquet');
    const { instance, conn } = await openDuck();
    await conn.run(
      `COPY (SELECT * FROM (VALUES ('green/g0.jpg', 'g'), ('blue/b1.webp', 'b')) t(path, label)) TO ${literal(list)} (FORMAT parquet)`,
    );
    conn.closeSync();
    instance.closeSync();
    expect(created(await run(list, 'parquet')).summary.classes).toEqual({ g: 1, b: 1 });
  });

  it('refuses a list naming a path outside its folder, by .. or through a link', async () => {
    await writeFile(path.join(temp.dir, 'outside.png'), await square([1, 2, 3], 'png'));
    const list = path.join(folder(), 'escape.csv');
    await writeFile(list, 'path,label\nred/r0.png,warm\n../outside.png,cool\n');
    await expect(run(list, 'csv')).rejects.toThrow(/row 2: "\.\.\/outside\.png" is outside the list's folder/);
    await symlink(path.join(temp.dir, 'outside.png'), path.join(folder(), 'inside-link.png'));
    await writeFile(list, 'path,label\nred/r0.png,warm\ninside-link.png,cool\n');
    await expect(run(list, 'csv')).rejects.toThrow(/row 2: "inside-link\.png" leads outside the list's folder/);
    await writeFile(list, `path,label\nred/r0.png,warm\n${path.join(temp.dir, 'outside.png')},cool\n`);
    await expect(run(list, 'csv')).rejects.toThrow(/is outside the list's folder/);
  });

  it('refuses a list without its path or label column, naming the columns it has', async () => {
    const list = path.join(folder(), 'columns.csv');
    await writeFile(list, 'file,class\nred/r0.png,warm\n');
    await expect(run(list, 'csv')).rejects.toThrow(/has no column "path" \(its columns: file, class\)/);
  });
});

describe('importImages from a folder', () => {
  it('refuses pictures of one class with one clear message', async () => {
    const one = path.join(temp.dir, 'one');
    await mkdir(path.join(one, 'only'), { recursive: true });
    await writeFile(path.join(one, 'only', 'a.png'), await square([1, 1, 1], 'png'));
    await expect(run(one, 'folder')).rejects.toThrow(/one class only/);
  });

  it('leaves links out, and files beside the class folders, saying why', async () => {
    const linked = path.join(temp.dir, 'linked');
    await makePictureFolder(linked);
    await symlink(linked, path.join(linked, 'red', 'loop'));
    await writeFile(path.join(linked, 'notes.txt'), 'hello');
    const o = created(await run(linked, 'folder'));
    expect(o.summary.skipped).toEqual(
      expect.arrayContaining([
        { file: 'notes.txt', reason: 'not inside a class folder (each subfolder is a class)' },
        { file: 'red/loop', reason: 'a link: links are not followed' },
      ]),
    );
    expect(o.rows).toBe(12);
  });
});
