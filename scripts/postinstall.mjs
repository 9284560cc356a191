// Runs after `npm install`. Electron's binary comes from outside the npm registry, so its own
// install step is told to skip (.npmrc) and we try the download here instead: on a machine that
// can reach it the desktop app works as usual; where it cannot, install still succeeds and
// `npm start` falls back to the browser UI. Nothing here may fail the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronInstallScript() {
  try {
    return path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return null; // electron is a devDependency: absent in production installs
  }
}

const script = electronInstallScript();
if (script && existsSync(script) && !process.env.CAIRN_SKIP_ELECTRON) {
  const env = process.env;
  const result = spawnSync(process.execPath, [script], { env, stdio: 'pipe', timeout: 300_000 });
  if (result.status === 0) {
    console.log('cairn: Electron binary ready, `npm start` opens the desktop app.');
  } else {
    console.log('cairn: Electron binary could not be downloaded here; `npm start` will open the browser UI instead.');
  }
}
