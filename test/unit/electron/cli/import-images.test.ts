// `cairn import <folder> --json` imports pictures and prints the documented image shape.
import { beforeAll, describe, expect, it } from 'vitest';
import { makePictureFolder } from '../core/datasets/images/picture-folders.js';
import { cliWorkspace } from './run-cairn.js';

const ws = cliWorkspace('cairn-cli-images-');
beforeAll(async () => makePictureFolder(ws.file('digits')));

describe('cairn import <folder>', () => {
  it('imports a folder of class folders with --json in the documented shape', () => {
    const r = ws.cairn('import', ws.file('digits'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['classes', 'id', 'kind', 'name', 'rows', 'skipped', 'version']);
    expect(out).toMatchObject({
      name: 'digits',
      version: 1,
      kind: 'images',
      rows: 12,
      classes: { red: 4, green: 5, blue: 3 },
    });
    expect((out.skipped as { file: string }[]).map((f) => f.file)).toEqual(['blue/broken.png']);
  });

  it('shows an image dataset as pictures in classes', () => {
    const r = ws.cairn('datasets', 'show', 'digits');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('digits version 1 of 1: 12 pictures in 3 classes');
  });
});
