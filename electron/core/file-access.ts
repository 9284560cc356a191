// Paths are a capability of the host, not of the contract (DESIGN.md, "Untrusted input, and paths
// as a capability"). Every path that arrives through a call (a file to import or score, a bundle,
// a feedback CSV, a pipeline file, an output to write) goes through the FileAccess the host gave
// the service; the service's own files (samples, retrain imports, the pipeline cache) do not.
//   - CLI: any path its shell user typed; outputs need an existing folder and --force to replace.
//   - Browser: reads only the server's own uploads folder; writes nothing (outputs are downloads).
//   - Desktop: only handles the main process granted for a file dialog or a drop.
import { link, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from './errors.js';
import { isInside } from './paths.js';

export interface WriteOptions {
  /** Whether the caller said an existing file may be replaced. */
  overwrite: boolean;
}

export interface FileAccess {
  /** The absolute path of a file the caller named to read; throws unauthorized when it may not. */
  readable(given: string): Promise<string>;
  /**
   * The absolute path of an output the caller named. Its folder must exist (outputs never create
   * folders), and an existing file is refused unless `overwrite` (conflict).
   */
  writable(given: string, options: WriteOptions): Promise<WriteTarget>;
  /**
   * The file a pipeline's dataset node names, resolved against the pipeline's folder `baseDir`.
   * Throws invalid_argument when the policy keeps the node inside that folder and it leaves it.
   */
  pipelineFile(ref: string, baseDir: string): Promise<string>;
}

/** Where an output goes, and whether it may replace a file already there. */
export interface WriteTarget {
  path: string;
  overwrite: boolean;
}

/**
 * Moves a finished temporary file to its target: a rename when replacing is allowed, else a hard
 * link (which fails if the target appeared meanwhile, so nothing is replaced in a race) and unlink.
 */
export async function placeOutput(partial: string, target: WriteTarget): Promise<void> {
  if (target.overwrite) {
    await rename(partial, target.path);
    return;
  }
  try {
    await link(partial, target.path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw exists(target.path);
    throw err;
  }
  await rm(partial, { force: true });
}

function exists(file: string): CairnError {
  return new CairnError('conflict', `${file} already exists: choose another name, or say it may be replaced`, { file });
}

/** Checks an output's folder exists and, unless replacing is allowed, that no file is there yet. */
async function checkOutput(file: string, options: WriteOptions, replaceHint: string): Promise<WriteTarget> {
  const folder = path.dirname(file);
  const dir = await stat(folder).catch(() => undefined);
  if (!dir?.isDirectory()) {
    throw new CairnError(
      'invalid_argument',
      `the folder ${folder} does not exist: create it first (Cairn does not create folders for outputs)`,
      { folder },
    );
  }
  const there = await stat(file).catch(() => undefined);
  if (there?.isDirectory()) throw new CairnError('invalid_argument', `${file} is a folder, not a file`, { file });
  if (there && !options.overwrite) {
    throw new CairnError('conflict', `${file} already exists: ${replaceHint}`, { file });
  }
  return { path: file, overwrite: options.overwrite };
}

/** realpath, or the path itself when it does not exist (yet). */
async function realOrSelf(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}

/**
 * A dataset node's file for hosts that keep pipelines inside their folder: relative, no `..`
 * out, and no symlink out. The message names the parameter; the run names the node.
 */
async function fileInsideFolder(ref: string, baseDir: string): Promise<string> {
  const refuse = () =>
    new CairnError(
      'invalid_argument',
      `"${ref}" is outside the pipeline's folder (${baseDir}): in the app, a dataset node reads only files inside it; import other files first`,
      { field: 'dataset', file: ref },
    );
  if (path.isAbsolute(ref) || path.win32.isAbsolute(ref)) throw refuse();
  const base = path.resolve(baseDir);
  const file = path.resolve(base, ref);
  if (!isInside(base, file, { orSelf: true })) throw refuse();
  if (!isInside(await realOrSelf(base), await realOrSelf(file), { orSelf: true })) throw refuse();
  return file;
}

/** The CLI's policy: the shell user may name any file; outputs still never replace unasked. */
export function shellFiles(): FileAccess {
  return {
    readable: async (given) => path.resolve(given),
    writable: (given, options) => checkOutput(path.resolve(given), options, 'pass --force to replace it'),
    pipelineFile: async (ref, baseDir) => path.resolve(baseDir, ref),
  };
}

/**
 * The browser host's policy: files arrive only as uploads, so only files inside `uploadDir` (after
 * resolving symlinks) can be read, and outputs leave only as downloads, so nothing is written.
 */
export function uploadedFiles(uploadDir: string): FileAccess {
  const root = path.resolve(uploadDir);
  const refuse = (given: string) =>
    new CairnError(
      'unauthorized',
      `the browser UI reads only files uploaded to it; upload ${path.basename(given)} instead of naming a path`,
    );
  return {
    async readable(given) {
      const file = path.resolve(root, given);
      // The lexical check first, so a refused path is never even looked at.
      if (!isInside(root, file)) throw refuse(given);
      const real = await realpath(file).catch(() => undefined);
      if (!real) throw new CairnError('not_found', `${path.basename(file)}: the upload is gone (upload it again)`);
      if (!isInside(await realOrSelf(root), real, { orSelf: true })) throw refuse(given);
      return real;
    },
    writable: async () => {
      throw new CairnError('unauthorized', 'the browser UI writes no files on the server: outputs come as downloads');
    },
    pipelineFile: fileInsideFolder,
  };
}

/** What the desktop policy asks of main's grant table. */
export interface GrantLookup {
  /** The path a live grant of `use` holds for `handle`; undefined when there is none (or it expired). */
  resolve(handle: string, use: 'read' | 'write'): string | undefined;
}

/**
 * The desktop host's policy: a path only through a handle main granted for a file dialog or a
 * drop (electron/main/file-grants.ts). A write handle comes from a save dialog, which itself asks
 * before replacing a file, so it may replace one.
 */
export function grantedFiles(grants: GrantLookup): FileAccess {
  const refuse = (use: 'read' | 'write') =>
    new CairnError(
      'unauthorized',
      use === 'read'
        ? 'the app reads only files chosen in a file dialog or dropped on it (or the permission expired: choose the file again)'
        : 'the app writes only where a save dialog said (or the permission expired: export again)',
    );
  return {
    async readable(given) {
      const file = grants.resolve(given, 'read');
      if (!file) throw refuse('read');
      return file;
    },
    async writable(given) {
      const file = grants.resolve(given, 'write');
      if (!file) throw refuse('write');
      return checkOutput(file, { overwrite: true }, '');
    },
    pipelineFile: fileInsideFolder,
  };
}

/** The policy a host gets when it names none: the CLI's for the CLI, nothing else for the others. */
export function defaultFileAccess(host: 'desktop' | 'browser' | 'cli', uploadDir: string): FileAccess {
  if (host === 'cli') return shellFiles();
  if (host === 'browser') return uploadedFiles(uploadDir);
  return grantedFiles({ resolve: () => undefined });
}
