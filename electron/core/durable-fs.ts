// Durability for files a record points at: their bytes reach the disk before a rename or a
// database row makes them visible, so a crash cannot leave a record pointing at a torn file.
import { open } from 'node:fs/promises';

/** Flushes a file's contents to disk. */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename into `dir`, or a new entry in it, durable. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for sync, and its renames do not need it.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
