// Two processes on one data folder (the app and a CLI command beside it) keep their own half-made
// files: a service opening clears only what dead processes left under work/.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CairnService } from '../../../../electron/core/service.js';
import { claimWorkFolder, releaseWorkFolder } from '../../../../electron/core/work-folders.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cairn-work-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const ALIVE_PID = 424242;
const DEAD_PID = 434343;
const uuid = '0b9d2c4e-6a1f-4d3b-9c8e-7f6a5b4c3d2e';

describe('work folders', () => {
  it('keeps a living process folder, removes a dead one and anything unowned, and makes its own', async () => {
    const work = path.join(root, 'work');
    await mkdir(path.join(work, `${ALIVE_PID}-${uuid}`), { recursive: true });
    await writeFile(path.join(work, `${ALIVE_PID}-${uuid}`, 'half-made.parquet'), 'x');
    await mkdir(path.join(work, `${DEAD_PID}-${uuid}`), { recursive: true });
    await writeFile(path.join(work, 'left-by-an-older-version.csv'), 'x');

    const own = await claimWorkFolder(work, (pid) => pid === ALIVE_PID);

    expect(path.dirname(own)).toBe(work);
    expect(path.basename(own)).toMatch(new RegExp(`^${process.pid}-`));
    expect((await readdir(work)).sort()).toEqual([`${ALIVE_PID}-${uuid}`, path.basename(own)].sort());
    expect(await readdir(path.join(work, `${ALIVE_PID}-${uuid}`))).toEqual(['half-made.parquet']);
    await releaseWorkFolder(own);
    expect(await readdir(work)).toEqual([`${ALIVE_PID}-${uuid}`]);
  });

  it('a service opening on a data folder in use leaves the others their work in progress', async () => {
    const home = path.join(root, 'home');
    const first = await CairnService.open({ home, host: 'cli', monitor: false });
    const second = await CairnService.open({ home, host: 'cli', monitor: false });
    try {
      const folders = await readdir(path.join(home, 'work'));
      expect(folders).toHaveLength(2);
      for (const f of folders) await writeFile(path.join(home, 'work', f, 'in-progress'), 'x');
      const third = await CairnService.open({ home, host: 'cli', monitor: false });
      for (const f of folders) expect(await readdir(path.join(home, 'work', f))).toEqual(['in-progress']);
      await third.close();
    } finally {
      await second.close();
      await first.close();
    }
    expect(await readdir(path.join(home, 'work'))).toEqual([]);
  });
});
