// Camera pictures through CairnService: each is staged (checked as the import checks a file), then
// datasets.addPictures makes the dataset's next version from the version's pictures and the staged
// ones; the same picture again in the same class makes nothing new; what is not a picture is
// refused when it is staged, and a staged id is used once.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../../../../shared/api.js';
import type { CairnService } from '../../../../../../electron/core/service.js';
import { filesUnder, freshService } from '../../helpers.js';
import { makePictureFolder, square } from './picture-folders.js';

let service: CairnService;
let home: string;
let close: () => Promise<void>;
let v1: ImportResult;

beforeAll(async () => {
  ({ service, home, close } = await freshService());
  const folder = path.join(home, '..', 'shapes');
  await makePictureFolder(folder);
  v1 = await service.invoke('datasets.importNow', { path: folder });
});
afterAll(async () => close());

const stage = async (bytes: Buffer, name: string) =>
  service.invoke('datasets.stagePicture', { data: bytes.toString('base64'), name });

async function refusal(method: string, arg: unknown): Promise<{ code: string; message: string }> {
  const reply = await service.call(method, arg);
  if (reply.ok) throw new Error(`expected ${method} to be refused`);
  return reply.error;
}

describe('pictures from the camera', () => {
  let v2: ImportResult;
  let used: string;
  const yellow = () => square([230, 230, 0], 'jpeg', 12);

  it('adds two pictures as version 2, which holds version 1 and both', async () => {
    const a = await stage(await yellow(), 'capture-1.jpg');
    const b = await stage(await square([0, 0, 90], 'png'), 'capture-2.png');
    expect(a).toMatchObject({ width: 12, height: 12, format: 'jpeg' });
    used = a.id;
    v2 = await service.invoke('datasets.addPictures', {
      versionId: v1.versionId,
      pictures: [
        { staged: a.id, label: 'yellow' },
        { staged: b.id, label: 'blue' },
      ],
    });
    expect(v2).toMatchObject({ created: true, version: 2, rows: v1.rows + 2, datasetId: v1.datasetId });
    expect(v2.images?.classes).toEqual({ ...v1.images?.classes, yellow: 1, blue: (v1.images?.classes.blue ?? 0) + 1 });
    // The version's unreadable file is still listed: version 2 is version 1 plus the pictures.
    expect(v2.images?.skipped.map((s) => s.file)).toEqual(['blue/broken.png']);
    const yellows = await service.invoke('datasets.images', { versionId: v2.versionId, label: 'yellow' });
    expect(yellows.items.map((i) => i.file)).toEqual(['camera/capture-1.jpg']);
    const older = await service.invoke('datasets.images', { versionId: v1.versionId, label: 'red' });
    const newer = await service.invoke('datasets.images', { versionId: v2.versionId, label: 'red' });
    expect(newer.items).toEqual(older.items);
    // Staged files are gone once saved.
    expect((await filesUnder(path.join(home, 'work'))).filter((f) => f.startsWith('camera'))).toEqual([]);
  });

  it('makes nothing new when the same picture is added to its class again', async () => {
    const again = await stage(await yellow(), 'capture-3.jpg');
    const same = await service.invoke('datasets.addPictures', {
      versionId: v2.versionId,
      pictures: [{ staged: again.id, label: 'yellow' }],
    });
    expect(same).toMatchObject({ created: false, version: 2, versionId: v2.versionId });
    const { versions } = await service.invoke('datasets.get', { ref: v1.datasetId });
    expect(versions).toHaveLength(2);
  });

  it('refuses to stage what is not a picture, and a staged id twice', async () => {
    const err = await refusal('datasets.stagePicture', {
      data: Buffer.from('not a picture at all').toString('base64'),
      name: 'capture.jpg',
    });
    expect(err).toMatchObject({ code: 'invalid_argument' });
    expect(err.message).toMatch(/capture\.jpg: not a picture/);
    expect((await refusal('datasets.stagePicture', { data: 'AAAA', name: '../up.jpg' })).code).toBe('invalid_argument');
    const twice = await refusal('datasets.addPictures', {
      versionId: v2.versionId,
      pictures: [{ staged: used, label: 'yellow' }],
    });
    expect(twice.code).toBe('not_found');
  });

  it('discards staged pictures the user removed', async () => {
    const gone = await stage(await square([9, 9, 9], 'png'), 'gone.png');
    expect(await service.invoke('datasets.discardPictures', { staged: [gone.id] })).toEqual({ discarded: 1 });
    expect((await filesUnder(path.join(home, 'work'))).filter((f) => f.startsWith('camera'))).toEqual([]);
    const err = await refusal('datasets.addPictures', {
      versionId: v1.versionId,
      pictures: [{ staged: gone.id, label: 'grey' }],
    });
    expect(err.code).toBe('not_found');
  });
});
