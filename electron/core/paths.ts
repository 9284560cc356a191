// One data folder shared by every host (DESIGN.md, "One engine, three hosts").
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Cairn';

/**
 * The desktop app's user-data folder, computed the way Electron's app.getPath('userData') does,
 * so the CLI and the web host find the same data without importing electron.
 */
export function defaultHome(platform = process.platform, env = process.env): string {
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
  }
}

/** `--home DIR` wins, then CAIRN_HOME, then the desktop app's folder. */
export function resolveHome(flag?: string, env = process.env): string {
  return path.resolve(flag ?? env.CAIRN_HOME ?? defaultHome(process.platform, env));
}

/** Where each kind of file lives under the data folder. */
export function layout(home: string) {
  return {
    home,
    db: path.join(home, 'app.db'),
    datasets: path.join(home, 'datasets'),
    work: path.join(home, 'work'),
    uploads: path.join(home, 'uploads'),
    models: path.join(home, 'models'),
    /** Pipeline step outputs by cache key (tables as Parquet). */
    pipelineCache: path.join(home, 'pipelines', 'cache'),
    /** The prediction endpoints' request log (its own SQLite file; endpoint processes write it). */
    requestLog: path.join(home, 'logs', 'requests.db'),
    /** The browser host's token (`cairn ui`), kept across its restarts; mode 0600. */
    uiToken: path.join(home, 'ui-token'),
    /** Secrets (sources' passwords) for the CLI and `cairn ui`: JSON, mode 0600 (core/secrets/). */
    secrets: path.join(home, 'secrets.json'),
    /** The desktop app's secrets, sealed with Electron's safeStorage. */
    sealedSecrets: path.join(home, 'secrets.sealed'),
  };
}
export type Layout = ReturnType<typeof layout>;

/**
 * `child`'s path relative to `folder` when it is the folder itself ('') or lies inside it, else
 * undefined. Both are resolved first. A name that merely starts with two dots (`..foo`) is inside;
 * `..` and `../x` are not, nor a path on another drive (path.relative answers with an absolute
 * path there). path.relative also follows the platform's case rule and separators. `p` is the
 * path flavour (tests check Windows rules with path.win32).
 */
export function relativeInside(folder: string, child: string, p: path.PlatformPath = path): string | undefined {
  const rel = p.relative(p.resolve(folder), p.resolve(child));
  if (rel === '..' || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) return undefined;
  return rel;
}

/** Whether `child` lies inside `folder`; the folder itself counts only with `orSelf`. */
export function isInside(
  folder: string,
  child: string,
  { orSelf = false, p = path }: { orSelf?: boolean; p?: path.PlatformPath } = {},
): boolean {
  const rel = relativeInside(folder, child, p);
  return rel !== undefined && (orSelf || rel !== '');
}
