// End-to-end check of the desktop shell: launches the built app in Electron with its own data
// folder, waits for the UI, and checks the window, the bridge and the lockdown from the page's side.
// Run: node --import tsx test/e2e/electron.test.ts
// Without an Electron binary (it downloads from outside the npm registry) it says so and passes.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { _electron as electron } from 'playwright-core';
import type { CairnBridge } from '../../shared/bridge.js';
import { electronBinary } from '../../electron/core/environment.js';

type CairnWindow = Window & { cairn: CairnBridge };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const binary = electronBinary();
  if (!binary.present || !binary.executable) {
    console.log('electron e2e skipped: no Electron binary installed');
    return;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error(
      'Electron needs a display: run this under xvfb-run (e.g. xvfb-run -a node --import tsx test/e2e/electron.test.ts)',
    );
  }

  // The scripts are plain .mjs, loaded by URL so the type checker does not need declarations for them.
  const start = (await import(pathToFileURL(path.join(root, 'scripts', 'start.mjs')).href)) as { ensureBuild(): void };
  const native = (await import(pathToFileURL(path.join(root, 'scripts', 'electron-native.mjs')).href)) as {
    ensureElectronSqlite(): Promise<string | null>;
  };
  start.ensureBuild();
  const binding = await native.ensureElectronSqlite();

  const home = await mkdtemp(path.join(os.tmpdir(), 'cairn-electron-e2e-'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  env.CAIRN_HOME = home;
  if (binding) env.CAIRN_SQLITE_BINDING = binding;

  // Chromium refuses its sandbox as root (containers, CI); the renderer sandbox flag stays on.
  const args = [root, '--home', home, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
  const app = await electron.launch({ executablePath: binary.executable, args, env, cwd: root, timeout: 60_000 });
  try {
    const page = await app.firstWindow({ timeout: 60_000 });
    await page.waitForLoadState('domcontentloaded');
    assert.match(page.url(), /^app:\/\/cairn\//, 'the UI is served from app://cairn');

    await page
      .getByRole('heading', { name: /datasets/i })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');
    assert.match(title, /Cairn/, `window title "${title}" names the app`);

    const surface = await page.evaluate(() => {
      const w = window as unknown as CairnWindow & { require?: unknown; process?: unknown; ipcRenderer?: unknown };
      return {
        keys: Object.keys(w.cairn).sort(),
        frozen: Object.isFrozen(w.cairn),
        require: typeof w.require,
        process: typeof w.process,
        ipcRenderer: typeof w.ipcRenderer,
      };
    });
    assert.deepEqual(surface, {
      keys: ['call', 'chooseFolder', 'chooseSaveFile', 'grantFile', 'on'],
      frozen: true,
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
    });

    const info = await page.evaluate(() => (window as unknown as CairnWindow).cairn.call('app.info', {}));
    assert.ok(info.ok, `app.info failed: ${JSON.stringify(info)}`);
    assert.equal(info.result.host, 'desktop');
    assert.equal(info.result.home, home);

    const unknown = await page.evaluate(() =>
      (window as unknown as CairnWindow).cairn.call('no.such' as 'app.info', {}),
    );
    assert.equal(unknown.ok, false, 'an unknown method comes back as an error envelope');

    const csp = await page.evaluate(async () =>
      (await fetch('app://cairn/index.html')).headers.get('content-security-policy'),
    );
    assert.match(csp ?? '', /script-src 'self'/, 'app:// responses carry the CSP');
    const traversal = await page.evaluate(async () => (await fetch('app://cairn/..%2f..%2fpackage.json')).status);
    assert.ok(traversal === 403 || traversal === 404, `path traversal refused (status ${traversal})`);

    const opened = await page.evaluate(() => window.open('https://example.com') === null);
    assert.ok(opened, 'window.open is denied');
    assert.equal(app.windows().length, 1);

    console.log('electron e2e passed');
  } finally {
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
