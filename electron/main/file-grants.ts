// The desktop host's file capability (DESIGN.md, "Untrusted input, and paths as a capability"):
// the renderer never hands the engine a path, only a short-lived opaque handle that main made for
// a file the user dropped or picked (read) or chose in a save dialog (write). Kept free of the
// 'electron' import so the table and the request checks are unit-tested; file-ipc.ts wires them.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { GrantLookup } from '../core/file-access.js';

export type GrantUse = 'read' | 'write';

interface Grant {
  file: string;
  use: GrantUse;
  expires: number;
}

export interface FileGrantsOptions {
  /** How long a handle stays usable: long enough to pick options and retry, short enough not to linger. */
  ttlMs?: number;
  now?: () => number;
}

/** Handles look like this, so an error can say "a handle" rather than "a path" was expected. */
export const HANDLE_PREFIX = 'cairn-file:';

export class FileGrants implements GrantLookup {
  private readonly grants = new Map<string, Grant>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: FileGrantsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** A fresh handle for `file` (absolute), usable for `use` until it expires. */
  grant(file: string, use: GrantUse): string {
    if (!path.isAbsolute(file)) throw new TypeError('only absolute paths are granted');
    this.prune();
    const handle = `${HANDLE_PREFIX}${randomBytes(18).toString('base64url')}`;
    this.grants.set(handle, { file: path.normalize(file), use, expires: this.now() + this.ttlMs });
    return handle;
  }

  resolve(handle: string, use: GrantUse): string | undefined {
    const g = this.grants.get(handle);
    if (!g || g.use !== use) return undefined;
    if (g.expires <= this.now()) {
      this.grants.delete(handle);
      return undefined;
    }
    return g.file;
  }

  /** How many grants are live (for tests and diagnostics). */
  get size(): number {
    this.prune();
    return this.grants.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [h, g] of this.grants) if (g.expires <= now) this.grants.delete(h);
  }
}

/** What the grant requests need from Electron: the sender check, and the save dialog. */
export interface GrantRequestDeps {
  grants: FileGrants;
  /** Whether the calling frame shows the app's own UI (ipc.ts's check). */
  trusted: (senderUrl: string | undefined) => boolean;
  /** Shows a save dialog (which asks before replacing a file); the chosen path, or undefined if cancelled. */
  showSaveDialog: (suggestedName: string) => Promise<string | undefined>;
  /** Shows a folder dialog; the chosen folder, or undefined if cancelled. */
  showFolderDialog: () => Promise<string | undefined>;
}

export type GrantReply<T> =
  { ok: true; result: T } | { ok: false; error: { code: 'unauthorized' | 'invalid_argument'; message: string } };

const refused = {
  ok: false,
  error: { code: 'unauthorized', message: 'files are granted only to the Cairn UI' },
} as const;

/**
 * A read grant for a file or folder the preload got from a drop or a file input
 * (webUtils.getPathForFile, which a page script cannot forge): a folder of class folders is an
 * image dataset. Main still checks the sender and that it names a file or a folder.
 */
export async function grantRead(
  deps: GrantRequestDeps,
  senderUrl: string | undefined,
  file: unknown,
): Promise<GrantReply<string>> {
  if (!deps.trusted(senderUrl)) return refused;
  if (typeof file !== 'string' || !path.isAbsolute(file)) {
    return {
      ok: false,
      error: { code: 'invalid_argument', message: 'a grant needs the absolute path of a dropped or picked file' },
    };
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() && !info?.isDirectory())
    return {
      ok: false,
      error: { code: 'invalid_argument', message: `${path.basename(file)} is neither a file nor a folder` },
    };
  return { ok: true, result: deps.grants.grant(file, 'read') };
}

/** A write grant for where the user said in a save dialog; null when they cancelled. */
export async function grantSave(
  deps: GrantRequestDeps,
  senderUrl: string | undefined,
  suggestedName: unknown,
): Promise<GrantReply<{ handle: string; name: string } | null>> {
  if (!deps.trusted(senderUrl)) return refused;
  // Only a bare name is suggested: the dialog opens where the user last saved, not where a page says.
  const name =
    typeof suggestedName === 'string'
      ? // eslint-disable-next-line no-control-regex -- control characters are what this strips
        path.basename(suggestedName).replace(/[\u0000-\u001f\u007f]/g, '')
      : '';
  const chosen = await deps.showSaveDialog(name || 'export.zip');
  if (!chosen) return { ok: true, result: null };
  return { ok: true, result: { handle: deps.grants.grant(chosen, 'write'), name: path.basename(chosen) } };
}

/** A read grant for a folder the user chose in a folder dialog (pictures); null when they cancelled. */
export async function grantFolder(
  deps: GrantRequestDeps,
  senderUrl: string | undefined,
): Promise<GrantReply<{ handle: string; name: string } | null>> {
  if (!deps.trusted(senderUrl)) return refused;
  const chosen = await deps.showFolderDialog();
  if (!chosen) return { ok: true, result: null };
  return { ok: true, result: { handle: deps.grants.grant(chosen, 'read'), name: path.basename(chosen) } };
}
