// `cairn predict <picture model> <picture|folder>`: a folder walked at every depth, a file that is
// not a picture skipped with its reason on stderr, predictions equal to pixelsForModel's numbers
// scored by the model, and --out as CSV or JSON by its extension. Run in this process (cli/main.ts's main).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../electron/cli/main.js';
import { pixelsForModel } from '../../../../electron/core/datasets/images/model-input.js';
import { CairnService } from '../../../../electron/core/service.js';
import { loadArtifacts } from '../../../../electron/core/training/artifacts.js';
import { tempDir } from '../core/helpers.js';
import {
  gradientPicture,
  PICTURE_CLASSES,
  PICTURE_INPUT,
  registerPictureModel,
} from '../core/serving/picture-model.js';
import type { ServedModel } from '../../../../electron/core/serving/protocol.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let home: string;
let folder: string;
let pets: ServedModel;
const pictures: Record<string, Buffer> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-cli-pictures-'));
  home = path.join(dir, 'home');
  const service = await CairnService.open({ home, host: 'cli' });
  try {
    pets = await registerPictureModel(service);
  } finally {
    await service.close();
  }
  folder = path.join(dir, 'to score');
  await mkdir(path.join(folder, 'deeper', 'still'), { recursive: true });
  pictures['a.png'] = await gradientPicture(30, 30, 1);
  pictures['deeper/b.jpg'] = await gradientPicture(50, 20, 2, 'jpeg');
  pictures['deeper/still/c.webp'] = await gradientPicture(16, 40, 3, 'webp');
  for (const [file, bytes] of Object.entries(pictures)) await writeFile(path.join(folder, file), bytes);
  await writeFile(path.join(folder, 'deeper', 'notes.jpg'), 'a text file named like a picture');
}, 60_000);

afterAll(() => cleanup());

/** Runs `cairn --home <home> <args>` in this process, with what it wrote to stdout and stderr. */
async function cairn(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['--home', home, ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The model's probabilities for a picture, from pixelsForModel's numbers scored directly. */
async function direct(bytes: Buffer): Promise<Record<string, number>> {
  const artifacts = await loadArtifacts(pets.dir, pets.sha256);
  try {
    const y = artifacts.predictor.predict(await pixelsForModel(bytes, PICTURE_INPUT), 1);
    return Object.fromEntries(PICTURE_CLASSES.map((c, k) => [c, y[k] as number]));
  } finally {
    artifacts.dispose();
  }
}

type Scored = { file: string; label: string; probabilities: Record<string, number> };

describe('cairn predict with a picture model', () => {
  it('scores every picture under a folder, and names the file it skipped with its reason on stderr', async () => {
    const r = await cairn('predict', 'pets', folder, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^skipped deeper\/notes\.jpg: not a picture Cairn reads/m);
    const out = JSON.parse(r.stdout) as { rows: number; predictions: Scored[]; skipped: unknown[] };
    expect(out).toMatchObject({ model: { name: 'pets', version: 1 }, rows: 3 });
    expect(out.skipped).toEqual([
      { file: 'deeper/notes.jpg', reason: expect.stringMatching(/not a picture/) as string },
    ]);
    expect(out.predictions.map((p) => p.file)).toEqual(['a.png', 'deeper/b.jpg', 'deeper/still/c.webp']);
    for (const p of out.predictions) {
      const want = await direct(pictures[p.file] as Buffer);
      expect(p.probabilities).toEqual(want);
      expect(want[p.label]).toBe(Math.max(...Object.values(want)));
    }
  });

  it('scores one picture, and writes --out as CSV or JSON by its extension', async () => {
    const one = await cairn('predict', 'pets:1', path.join(folder, 'a.png'), '--json');
    expect(one.code, one.stderr).toBe(0);
    expect((JSON.parse(one.stdout) as { predictions: Scored[] }).predictions).toEqual([
      expect.objectContaining({ file: 'a.png', probabilities: await direct(pictures['a.png'] as Buffer) }),
    ]);

    const csv = path.join(dir, 'scored.csv');
    const r = await cairn('predict', 'pets', folder, '--out', csv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Written to ${csv}.`);
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('file,label,probability_cat,probability_dog,probability_fish');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['a.png', 'deeper/b.jpg', 'deeper/still/c.webp']);

    const json = path.join(dir, 'scored.json');
    expect((await cairn('predict', 'pets', folder, '--out', json)).code).toBe(0);
    const rows = JSON.parse(await readFile(json, 'utf8')) as Scored[];
    expect(rows.map((p) => p.file)).toEqual(['a.png', 'deeper/b.jpg', 'deeper/still/c.webp']);
    expect(rows[0]?.probabilities).toEqual(await direct(pictures['a.png'] as Buffer));
  });

  it('fails clearly when nothing there is a picture', async () => {
    const r = await cairn('predict', 'pets', path.join(folder, 'deeper', 'notes.jpg'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no picture could be read .*notes\.jpg: not a picture Cairn reads/);
  });
});
