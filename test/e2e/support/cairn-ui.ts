// Starts `cairn ui` on its own port and data folder, and Debian's Chromium through playwright-core,
// for one test at a time. Nothing here sleeps: the server is ready when it prints its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import yazl from 'yazl';
import { filesUnder } from '../../unit/electron/core/helpers.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
export const uiMissing = !existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'));

if (chromiumMissing) console.log(`e2e: skipped, ${CHROMIUM} is missing (apt-get install chromium)`);
else if (uiMissing) console.log('e2e: skipped, the UI is not built (run `npx electron-vite build` first)');

/** Whether the browser e2e tests can run here. */
export const canRun = !chromiumMissing && !uiMissing;
// CI installs Chromium and builds the UI before this suite: a skip there would be a suite that
// cannot fail, so it is an error instead.
if (process.env.CI && !canRun)
  throw new Error('e2e: CI must run the browser tests, but Chromium or the UI build is missing');

export interface CairnUi {
  url: string;
  home: string;
  port: number;
  /** Runs `cairn <args> --home <home>` to completion (e.g. import from the CLI). */
  cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Stops the server and keeps its data folder, as a user pressing Ctrl+C does. */
  halt(): Promise<void>;
  /** Starts `cairn ui` again on the same data folder and port; resolves to the URL it printed. */
  resume(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** What a test file may set on the `cairn ui` it starts. */
export interface CairnUiOptions {
  /** Extra environment for the server and its job processes (test hooks such as CAIRN_TEST_HOLD_IMPORT). */
  env?: Record<string, string>;
}

/** Spawns `cairn ui` on `home` and `port`; resolves once it printed its URL. */
async function spawnUi(
  home: string,
  port: number,
  options: CairnUiOptions,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'ui', '--port', String(port), '--home', home], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /(http:\/\/\S+\?token=\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`cairn ui exited with ${code}:\n${output}`)));
    child.once('error', reject);
  });
  return { child, url };
}

/** Stops a `cairn ui` process; one that does not stop within 10 s is killed. */
async function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  // A server that does not stop within 10 s fails the test run anyway; don't hang it too.
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(timer);
}

const BIN = path.join(ROOT, 'bin', 'cairn.js');

/** Starts `cairn ui` with a fresh data folder on a free port. */
export async function startCairnUi(options: CairnUiOptions = {}): Promise<CairnUi> {
  const home = await mkdtemp(path.join(tmpdir(), 'cairn-e2e-'));
  const port = await freePort();
  let { child, url } = await spawnUi(home, port, options);
  return {
    url,
    home,
    port,
    cli: (...args) =>
      new Promise((resolve, reject) => {
        const c = spawn(process.execPath, [BIN, ...args, '--home', home], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        c.once('error', reject);
        c.once('exit', (code) => resolve({ code, stdout, stderr }));
      }),
    halt: () => halt(child),
    async resume() {
      await halt(child);
      ({ child, url } = await spawnUi(home, port, options));
      return url;
    },
    async stop() {
      await halt(child);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Runs a CLI command on the UI's data folder; its stdout, or an error with its stderr when it fails. */
export async function cliOk(ui: CairnUi, ...args: string[]): Promise<string> {
  const r = await ui.cli(...args);
  if (r.code !== 0) throw new Error(`cairn ${args.join(' ')} exited with ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

/** Debian's Chromium, headless; `extraArgs` for a test that needs more (a fake camera). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}

/** Opens the app and waits until the engine has answered app.info. */
export async function openApp(browser: Browser, ui: CairnUi): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(ui.url);
  await page.getByTestId('backend-name').waitFor();
  return page;
}

/** Simulates dropping files onto the window: a DataTransfer carrying Files, as a real drag does. */
export async function dropFile(page: Page, name: string, content: string, type = 'text/csv'): Promise<void> {
  await page.evaluate(
    ({ name, content, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type }));
      const target = document.querySelector('.content') ?? document.body;
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(kind, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { name, content, type },
  );
}

/** Where screenshots go when CAIRN_SCREENSHOTS names a folder; none are taken otherwise. */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.CAIRN_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Runs `take` at the two window widths screenshots are looked at in (1280×800 and 1920×1080). */
export async function atBothWidths(page: Page, take: (width: number) => Promise<void>): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await take(width);
  }
}

/** Writes a .zip of `folder`'s files under `name/` to `file`, as a user zips a folder of pictures. */
export async function zipFolder(folder: string, name: string, file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const rel of await filesUnder(folder)) zip.addFile(path.join(folder, rel), `${name}/${rel}`);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

/**
 * Registers the hooks every UI test file shares: one Chromium for the file, and for each test a
 * fresh `cairn ui` (own data folder and port) with a page open on it, handed to `use`.
 */
export function useAppPerTest(
  use: (app: { ui: CairnUi; page: Page }) => void,
  options: CairnUiOptions = {},
  chromiumArgs: readonly string[] = [],
): void {
  let browser: Browser | undefined;
  let app: { ui: CairnUi; page: Page } | undefined;
  beforeAll(async () => {
    browser = await launchChromium(chromiumArgs);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start');
    const ui = await startCairnUi(options);
    app = { ui, page: await openApp(browser, ui) };
    use(app);
  });
  afterEach(async () => {
    await app?.page.close();
    await app?.ui.stop();
    app = undefined;
  });
}
