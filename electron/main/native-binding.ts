// better-sqlite3 for Electron's ABI. node_modules holds the build for Node's ABI (the CLI's);
// scripts/electron-native.mjs builds a second copy for Electron into a per-version cache, and the
// unpackaged app points core/db/open.ts at it through CAIRN_SQLITE_BINDING.
import path from 'node:path';

/** Where the Electron build of better-sqlite3 lives for one Electron version. */
export function electronSqliteBindingPath(repoRoot: string, electronVersion: string): string {
  return path.join(repoRoot, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');
}
