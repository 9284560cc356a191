// A model folder through the store: each file put by hash, listed with its path; taken back file by
// file, each checked against its hash, before the folder may become a model version.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { StoredArtifact } from '../../../shared/fleet/job-format.js';
import { ArtifactPath } from '../../../shared/fleet/job-format.js';
import { CairnError } from '../errors.js';
import { fetchBlob, putFile, type BlobStore } from './blob-store.js';

/** Puts every file under `dir` in the store; `sha256` is the training's own manifest hash. */
export async function putArtifact(store: BlobStore, dir: string, sha256: string): Promise<StoredArtifact> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: StoredArtifact['files'] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, full).split(path.sep).join('/');
    files.push({ path: relative, ...(await putFile(store, full)) });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { sha256, files };
}

/** Downloads a model folder into `dest` (which must not exist yet), every file checked. */
export async function fetchArtifact(store: BlobStore, artifact: StoredArtifact, dest: string): Promise<void> {
  for (const file of artifact.files) {
    // Parsed by the result's schema already; checked again here, where it becomes a path.
    if (!ArtifactPath.safeParse(file.path).success)
      throw new CairnError('invalid_argument', `a model file's path is not inside its folder: ${file.path}`);
    await fetchBlob(store, file, path.join(dest, ...file.path.split('/')));
  }
}
