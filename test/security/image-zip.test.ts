// A zip of pictures is made by anyone. Each archive here breaks one rule and is refused as a whole
// with the reason, before any entry is inflated: a `..` name, an absolute name, a symbolic link,
// too many entries, too many bytes in all, a bomb's compression ratio, and a picture whose
// header claims 50,000 × 50,000 pixels (a decompression bomb: skipped, never decoded). An honest
// zip of the same pictures imports.
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import {
  importImages,
  type ImageImportInput,
  type ImageImportOutcome,
} from '../../electron/core/datasets/images/import-images.js';
import { imagesInput, square } from '../unit/electron/core/datasets/images/picture-folders.js';
import { tempDirFor } from '../unit/electron/core/helpers.js';
import { buildZip, type FixtureEntry } from '../unit/electron/core/registry/zip-fixture.js';

const temp = tempDirFor('file', 'cairn-image-zip-');
let n = 0;
let red: Buffer;
let blue: Buffer;
beforeAll(async () => {
  red = await square([200, 0, 0], 'png');
  blue = await square([0, 0, 200], 'png');
});

const honest = (): FixtureEntry[] => [
  { name: 'red/a.png', data: red },
  { name: 'blue/b.png', data: blue },
];

async function importZip(
  entries: FixtureEntry[],
  limits: ImageImportInput['limits'] = {},
): Promise<{
  outcome: ImageImportOutcome;
  workDir: string;
}> {
  const file = path.join(temp.dir, `z${n}.zip`);
  const workDir = path.join(temp.dir, `work-${n++}`);
  await mkdir(workDir);
  await writeFile(file, buildZip(entries));
  const input = imagesInput(file, 'zip', { workDir, storeDir: path.join(temp.dir, 'store') }, limits);
  return { outcome: await importImages(input, () => undefined), workDir };
}

async function refusal(entries: FixtureEntry[], limits: ImageImportInput['limits'] = {}): Promise<string> {
  const workDir = path.join(temp.dir, `work-${n}`);
  const err = await importZip(entries, limits).then(
    () => new Error('imported'),
    (e: unknown) => e as Error,
  );
  // Refused before anything was inflated: the job's folder holds nothing.
  expect(await readdir(workDir)).toEqual([]);
  return err.message;
}

/** A 1×1 PNG whose header says it is `w` × `h` (its CRC fixed): a few bytes that claim gigapixels. */
async function pngClaiming(w: number, h: number): Promise<Buffer> {
  const png = Buffer.from(await square([1, 1, 1], 'png', 1));
  png.writeUInt32BE(w, 16);
  png.writeUInt32BE(h, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

describe('a zip of pictures', () => {
  it('imports when honest, the top folder of a zipped folder dropped', async () => {
    const { outcome } = await importZip(honest().map((e) => ({ ...e, name: `pets/${e.name}` })));
    expect(outcome).toMatchObject({ kind: 'createdImages', rows: 2, summary: { classes: { red: 1, blue: 1 } } });
  });

  it('is refused for an entry that climbs out with ..', async () => {
    expect(await refusal([...honest(), { name: 'red/../../evil.png', data: red }])).toMatch(/climbs out/);
  });

  it('is refused for an absolute entry name', async () => {
    expect(await refusal([...honest(), { name: '/etc/evil.png', data: red }])).toMatch(/absolute path/);
  });

  it('is refused for a symbolic link', async () => {
    expect(
      await refusal([...honest(), { name: 'red/link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]),
    ).toMatch(/symbolic link/);
  });

  it('is refused past the entry count', async () => {
    expect(await refusal(honest(), { zip: { maxEntries: 1 } })).toMatch(/has 2 entries \(at most 1\)/);
  });

  it('is refused past the total inflated size', async () => {
    expect(await refusal(honest(), { zip: { maxTotalBytes: red.length + 1 } })).toMatch(/would inflate to more than/);
  });

  it("is refused for a bomb's compression ratio", async () => {
    const zeros = Buffer.alloc(4 * 1024 * 1024);
    expect(await refusal([...honest(), { name: 'red/zeros.bmp', data: zeros }])).toMatch(
      /compressed more than 100 to 1/,
    );
  });

  it('skips a picture that claims 50,000 × 50,000 pixels without decoding it', async () => {
    const { outcome } = await importZip([
      ...honest(),
      { name: 'red/bomb.png', data: await pngClaiming(50_000, 50_000) },
    ]);
    expect(outcome).toMatchObject({ kind: 'createdImages', rows: 2 });
    if (outcome.kind !== 'createdImages') throw new Error('expected a version');
    expect(outcome.summary.skipped).toEqual([
      { file: 'red/bomb.png', reason: '50,000 × 50,000 pixels is more than the 50,000,000 a picture may have' },
    ]);
  });
});
