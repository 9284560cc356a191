// The browser host's token, kept in the data folder so a restart of `cairn ui` on the same folder
// keeps bookmarked URLs and open tabs working (Jupyter keeps its token the same way, in a file only
// its user can read). The file is trusted only when it is a regular file of this user that nobody
// else can read and holds exactly one token; anything else (another reader may have seen it, a
// symlink, a torn or edited file) is replaced by a new token, never used.
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { newToken } from './security.js';

/** A token as newToken writes it: 24 random bytes in base64url. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{32}$/;

/** Bytes read at most: a token file is one short line; a larger one is not ours. */
const MAX_BYTES = 256;

export interface UiToken {
  token: string;
  /** Why the token is new: the file was missing, `--rotate-token` asked, or the file was unsafe or malformed. */
  made: 'kept' | 'missing' | 'rotated' | 'replaced';
  /** For `replaced`: what was wrong with the file, to warn the user. */
  reason?: string;
}

/** The token in `file`, or a new one written there (mode 0600) when there is none, it is unsafe, or `rotate`. */
export async function loadUiToken(file: string, options: { rotate?: boolean } = {}): Promise<UiToken> {
  if (options.rotate) return { token: await writeToken(file), made: 'rotated' };
  const read = await readToken(file);
  if ('token' in read) return { token: read.token, made: 'kept' };
  if (read.problem === undefined) return { token: await writeToken(file), made: 'missing' };
  return { token: await writeToken(file), made: 'replaced', reason: read.problem };
}

/** The file's token, `{}` when there is no file, or what makes it unusable. */
async function readToken(file: string): Promise<{ token: string } | { problem?: string }> {
  let handle;
  try {
    // O_NOFOLLOW: a symlink planted in the folder must not make us read (or trust) another file.
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    if (code === 'ELOOP') return { problem: 'it is a symbolic link' };
    return { problem: `it cannot be read (${code ?? 'error'})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { problem: 'it is not a regular file' };
    // Windows has no POSIX modes or owners; the data folder's own ACL is what protects it there.
    if (process.platform !== 'win32') {
      if ((stat.mode & 0o077) !== 0)
        return { problem: `other users could read it (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')})` };
      if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
        return { problem: 'it belongs to another user' };
    }
    const buf = Buffer.alloc(MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/\r?\n$/, '');
    if (bytesRead > MAX_BYTES || !TOKEN_FORMAT.test(text)) return { problem: 'it does not hold a token' };
    return { token: text };
  } finally {
    await handle.close();
  }
}

/** Writes a new token to `file` atomically: a fresh 0600 file renamed over whatever was there. */
async function writeToken(file: string): Promise<string> {
  const token = newToken();
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  // 'wx' with mode 0600: created by us, readable by nobody else from its first byte (umask only narrows).
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${token}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return token;
}
