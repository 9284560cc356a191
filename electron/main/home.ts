// The desktop app's data folder, chosen the way every host chooses it (core/paths.ts).
import path from 'node:path';
import { APP_NAME, resolveHome } from '../core/paths.js';

/** The value of `--home DIR` or `--home=DIR` in argv, if given. */
export function homeFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--home') {
      const value = argv[i + 1];
      return value && !value.startsWith('--') ? value : undefined;
    }
    if (arg?.startsWith('--home=')) return arg.slice('--home='.length) || undefined;
  }
  return undefined;
}

/**
 * `--home`, then CAIRN_HOME, then <appData>/Cairn. appData comes from Electron so the folder is
 * exactly its userData for the product name, whatever name package.json gives in development.
 */
export function desktopHome(argv: readonly string[], env: NodeJS.ProcessEnv, appData: string): string {
  const flag = homeFlag(argv);
  if (flag !== undefined || env.CAIRN_HOME) return resolveHome(flag, env);
  return path.resolve(appData, APP_NAME);
}
