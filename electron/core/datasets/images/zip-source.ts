// The pictures of a .zip of a folder of class folders. A zip is untrusted: its whole central
// directory is checked before any entry is inflated (entry count, names, links, each entry's and
// the total inflated size, compression ratio), and one bad entry refuses the whole archive, so
// nothing is half-imported. Pictures are never written under their entry names (the import
// stores them by content hash), but a name that climbs out (`..`), is absolute or holds a NUL is
// still refused: it is a sign of a hostile archive, not an accident.
import yauzl from 'yauzl';
import type { SkippedFile } from '../../../../shared/api.js';
import type { CairnError } from '../../errors.js';
import { eachEntry, entryProblem, zipRefusal, type ZipLimits } from '../../zip-entries.js';
import { isHiddenName, type ImageCandidate, type ImageSource } from './image-sources.js';

export const IMAGE_ZIP_LIMITS: ZipLimits = {
  maxEntries: 500_000,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024 * 1024,
  // Pictures are compressed already: a ratio past this on a big entry is a bomb, not a photo.
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

function refused(file: string, reason: string, details: Record<string, unknown> = {}): CairnError {
  return zipRefusal('import_failed', file, reason, details);
}

/**
 * An entry's name as a list of folder and file names, or why it is unsafe. Names are decoded here
 * (yauzl's decodeStrings is off) so that every rule is Cairn's own and stated in one place.
 */
export function entrySegments(entry: yauzl.Entry): { segments: string[] } | { unsafe: string } {
  const raw = entry.fileName as unknown as Buffer;
  const name = raw.toString('utf8');
  if (name.includes('\0')) return { unsafe: 'a name holds a NUL character' };
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return { unsafe: `the entry ${JSON.stringify(name)} has an absolute path` };
  const segments = name.split(/[/\\]/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    return { unsafe: `the entry ${JSON.stringify(name)} climbs out of the archive's folder ("..")` };
  return { segments: segments.map((s) => s.normalize('NFC')) };
}

/** Opens a zip, checks every entry, and lists its pictures; throws on an unsafe archive. */
export async function zipSource(file: string, limits: ZipLimits = IMAGE_ZIP_LIMITS): Promise<ImageSource> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (err) {
    throw refused(file, `it is not a readable zip (${(err as Error).message})`);
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw refused(file, `it has ${zip.entryCount} entries (at most ${limits.maxEntries})`);
    const files: { segments: string[]; entry: yauzl.Entry }[] = [];
    let total = 0;
    for await (const entry of eachEntry(zip, (err) => refused(file, `it is damaged (${(err as Error).message})`))) {
      const named = entrySegments(entry);
      if ('unsafe' in named) throw refused(file, named.unsafe);
      const name = named.segments.join('/');
      if ((entry.fileName as unknown as Buffer).at(-1) === 0x2f) continue; // a folder entry
      const problem = entryProblem(entry, name, limits, total);
      if (problem) throw refused(file, problem, { entry: name });
      total += entry.uncompressedSize;
      if (named.segments.some(isHiddenName)) continue;
      files.push({ segments: named.segments, entry });
    }
    return classesOf(file, zip, files);
  } catch (err) {
    zip.close();
    throw err;
  }
}

/**
 * A zip made by compressing the folder itself holds one top folder with the class folders in it
 * (`animals/cats/a.png`): that folder is dropped, so its subfolders are the classes.
 */
function classesOf(file: string, zip: yauzl.ZipFile, files: { segments: string[]; entry: yauzl.Entry }[]): ImageSource {
  const top = files[0]?.segments[0];
  const wrapped = top !== undefined && files.every((f) => f.segments.length >= 3 && f.segments[0] === top);
  const candidates: ImageCandidate[] = [];
  const skipped: SkippedFile[] = [];
  for (const { segments, entry } of files) {
    const inside = wrapped ? segments.slice(1) : segments;
    const name = segments.join('/');
    if (inside.length < 2) {
      skipped.push({ file: name, reason: 'not inside a class folder (each subfolder is a class)' });
      continue;
    }
    candidates.push({ file: name, label: inside[0] as string, read: () => inflate(zip, entry) });
  }
  candidates.sort((a, b) => (a.file < b.file ? -1 : 1));
  return { candidates, skipped, close: async () => zip.close() };
}

async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // validateEntrySizes makes the stream fail if it inflates past the size its entry declared.
  const stream = await zip.openReadStreamPromise(entry);
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
