// Half-made files (imports, downloads, bundles being read, DuckDB's spill) live under work/ in the
// data folder. Several processes may open one data folder at once: the app, `cairn ui`, and any CLI
// command a user or a script runs beside them. So each open service works in a folder of its own,
// named by its process id, and clears only the folders of processes that are gone (a crash or a
// kill left them; no record points at what they hold). Wiping all of work/ at every open, as before,
// deleted the app's half-made import whenever a CLI command started.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** `<pid>-<random>`: the pid says whose it is; the suffix keeps two services of one process apart. */
const OWNED = /^(\d+)-[0-9a-f-]{36}$/;

/**
 * Makes this service's own work folder under `root` after removing what dead processes left there:
 * folders of processes no longer alive, and anything not named as an owned folder (older versions
 * wrote straight into work/).
 */
export async function claimWorkFolder(root: string, alive: (pid: number) => boolean): Promise<string> {
  await mkdir(root, { recursive: true });
  for (const entry of await readdir(root)) {
    const owner = OWNED.exec(entry);
    if (owner && (Number(owner[1]) === process.pid || alive(Number(owner[1])))) continue;
    await rm(path.join(root, entry), { recursive: true, force: true });
  }
  const own = path.join(root, `${process.pid}-${randomUUID()}`);
  await mkdir(own);
  return own;
}

/** Removes a service's work folder at close; what a crash leaves, the next open removes. */
export async function releaseWorkFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}
