// Pictures taken with the camera wait here, one call each, until they are added to a dataset as its
// next version (datasets.addPictures). Each is checked on arrival by the import's own decoder, so a
// capture that is not a whole picture is refused at once rather than when the version is made. They
// live in the work folder, which is wiped at every open: a capture never saved leaves nothing.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_STAGED_PICTURES, type StagedPicture } from '../../../../shared/api.js';
import { CairnError } from '../../errors.js';
import { decodeImage, UnreadableImage, type ImageInfo } from './decode-image.js';
import { pictureFile } from './image-store.js';

interface Staged {
  file: string;
  name: string;
}

export class StagedPictures {
  private readonly staged = new Map<string, Staged>();

  constructor(private readonly folder: string) {}

  /** Checks and keeps one picture; its id is what datasets.addPictures names it by. */
  async stage(bytes: Buffer, name: string): Promise<StagedPicture> {
    if (this.staged.size >= MAX_STAGED_PICTURES)
      throw new CairnError(
        'invalid_argument',
        `at most ${MAX_STAGED_PICTURES} pictures wait to be saved: save or discard some first`,
      );
    let info: ImageInfo;
    try {
      info = await decodeImage(bytes);
    } catch (err) {
      if (err instanceof UnreadableImage) throw new CairnError('invalid_argument', `${name}: ${err.message}`);
      throw err;
    }
    const id = randomUUID();
    const file = path.join(this.folder, path.basename(pictureFile(id, info.format)));
    await mkdir(this.folder, { recursive: true });
    await writeFile(file, bytes);
    this.staged.set(id, { file, name });
    return { id, width: info.width, height: info.height, format: info.format };
  }

  /** The staged files for `ids`; an id not staged (or already used) is refused. */
  files(ids: readonly string[]): Staged[] {
    return ids.map((id) => {
      const s = this.staged.get(id);
      if (!s)
        throw new CairnError('not_found', `no picture waiting with id ${id} (it was saved, or the app restarted)`);
      return s;
    });
  }

  /** Forgets and deletes staged pictures (after they were added, or were not wanted). */
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const s = this.staged.get(id);
      this.staged.delete(id);
      if (s) await rm(s.file, { force: true });
    }
  }
}
