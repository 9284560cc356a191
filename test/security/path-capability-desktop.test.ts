// Paths are a capability of the host (issue 17, item 2), for the desktop app: the engine takes a
// path only as a handle main granted for a drop, a picked file or a save dialog, for a short
// while. The grant table and its requests are Electron-free; the bridge is driven by a fake IPC;
// the service is a real one with the desktop policy over a grant table.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRANT_FOLDER_CHANNEL, GRANT_READ_CHANNEL, GRANT_SAVE_CHANNEL } from '../../shared/bridge.js';
import { grantedFiles } from '../../electron/core/file-access.js';
import { CairnService } from '../../electron/core/service.js';
import {
  FileGrants,
  grantFolder,
  grantRead,
  grantSave,
  type GrantRequestDeps,
} from '../../electron/main/file-grants.js';
import { createBridge, type BridgeIpc } from '../../electron/preload/create-bridge.js';
import { tempDir } from '../unit/electron/core/helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let cleanup: () => Promise<void>;
let file: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-sec-desktop-'));
  file = path.join(dir, 'picked.csv');
  writeFileSync(file, 'a,b\n1,x\n2,y\n');
});
afterAll(async () => cleanup());

describe('grant table', () => {
  it('resolves only handles it granted, for the use granted, until they expire', () => {
    let now = 1_000;
    const grants = new FileGrants({ ttlMs: 60_000, now: () => now });
    const read = grants.grant(file, 'read');
    const write = grants.grant(path.join(dir, 'out.zip'), 'write');
    expect(read).not.toContain(file);
    expect(grants.resolve(read, 'read')).toBe(file);
    expect(grants.resolve(read, 'write')).toBeUndefined();
    expect(grants.resolve(write, 'read')).toBeUndefined();
    // A path is not a handle, nor is a guessed one.
    expect(grants.resolve(file, 'read')).toBeUndefined();
    expect(grants.resolve(`${read}x`, 'read')).toBeUndefined();
    now += 60_000;
    expect(grants.resolve(read, 'read')).toBeUndefined();
    expect(grants.size).toBe(0);
  });

  it('grants a read only to the app UI, and only for an existing file or folder', async () => {
    const grants = new FileGrants();
    const deps: GrantRequestDeps = {
      grants,
      trusted: (url) => url === 'app://cairn/index.html',
      showSaveDialog: () => Promise.resolve(undefined),
      showFolderDialog: () => Promise.resolve(undefined),
    };
    expect(await grantRead(deps, 'https://evil.example/', file)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await grantRead(deps, 'app://cairn/index.html', 'relative.csv')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await grantRead(deps, 'app://cairn/index.html', path.join(dir, 'missing.csv'))).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    // A dropped folder (of class folders: an image dataset) is granted as it is.
    const folder = await grantRead(deps, 'app://cairn/index.html', dir);
    expect(folder.ok && grants.resolve(folder.result, 'read')).toBe(dir);
    const ok = await grantRead(deps, 'app://cairn/index.html', file);
    expect(ok.ok && grants.resolve(ok.result, 'read')).toBe(file);
  });

  it('grants a write only for what the save dialog returned', async () => {
    const grants = new FileGrants();
    const asked: string[] = [];
    const chosen = path.join(dir, 'chosen.zip');
    const deps: GrantRequestDeps = {
      grants,
      trusted: (url) => url === 'app://cairn/index.html',
      showSaveDialog: (name) => {
        asked.push(name);
        return Promise.resolve(name === 'cancel.zip' ? undefined : chosen);
      },
      showFolderDialog: () => Promise.resolve(undefined),
    };
    expect(await grantSave(deps, 'https://evil.example/', 'x.zip')).toMatchObject({ ok: false });
    expect(asked).toEqual([]);
    // Only a bare name is suggested, whatever the page passes.
    const r = await grantSave(deps, 'app://cairn/index.html', '/etc/flowers-v1.zip');
    expect(asked).toEqual(['flowers-v1.zip']);
    expect(r.ok && r.result && grants.resolve(r.result.handle, 'write')).toBe(chosen);
    expect(await grantSave(deps, 'app://cairn/index.html', 'cancel.zip')).toEqual({ ok: true, result: null });
  });

  it('grants a folder read only to the app UI, and only for what the folder dialog returned', async () => {
    const grants = new FileGrants();
    let shown = 0;
    let answer: string | undefined = dir;
    const deps: GrantRequestDeps = {
      grants,
      trusted: (url) => url === 'app://cairn/index.html',
      showSaveDialog: () => Promise.resolve(undefined),
      showFolderDialog: () => {
        shown++;
        return Promise.resolve(answer);
      },
    };
    expect(await grantFolder(deps, 'https://evil.example/')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(shown).toBe(0);
    const r = await grantFolder(deps, 'app://cairn/index.html');
    expect(r.ok && r.result?.name).toBe(path.basename(dir));
    expect(r.ok && r.result && grants.resolve(r.result.handle, 'read')).toBe(dir);
    // A folder grant is a read: it cannot be written through.
    expect(r.ok && r.result && grants.resolve(r.result.handle, 'write')).toBeUndefined();
    answer = undefined;
    expect(await grantFolder(deps, 'app://cairn/index.html')).toEqual({ ok: true, result: null });
  });
});

describe('bridge', () => {
  function fakeIpc(reply: (channel: string, arg: unknown) => unknown) {
    const invoked: unknown[][] = [];
    const ipc: BridgeIpc = {
      invoke: (channel, ...args) => {
        invoked.push([channel, ...args]);
        return Promise.resolve(reply(channel, args[0]));
      },
      on: () => undefined,
    };
    return { ipc, invoked };
  }

  it('asks main to grant only the path the File itself has, and gives the page only the handle', async () => {
    const dropped = { name: 'picked.csv' } as File;
    const fake = fakeIpc((_c, p) => ({ ok: true, result: `cairn-file:for-${String(p)}` }));
    const bridge = createBridge(fake.ipc, (f) => (f === dropped ? file : ''));
    await expect(bridge.grantFile(dropped)).resolves.toBe(`cairn-file:for-${file}`);
    // A File with no local path (made by a page script) gets nothing, and main is not asked.
    await expect(bridge.grantFile(new File(['x'], '/etc/passwd'))).resolves.toBe('');
    // Anything but a File: getPathForFile throws, and so does the bridge.
    const strict = createBridge(fake.ipc, (f) => {
      if (!(f instanceof File)) throw new TypeError('not a File');
      return '';
    });
    await expect(strict.grantFile('/etc/passwd' as unknown as File)).rejects.toThrow(/takes a File/);
    expect(fake.invoked).toEqual([[GRANT_READ_CHANNEL, file]]);
  });

  it('passes a refused grant on as an error, and a save choice as its handle', async () => {
    const fake = fakeIpc((channel) =>
      channel === GRANT_SAVE_CHANNEL
        ? { ok: true, result: { handle: 'cairn-file:w', name: 'm.zip' } }
        : { ok: false, error: { code: 'unauthorized', message: 'no' } },
    );
    const bridge = createBridge(fake.ipc, () => file);
    await expect(bridge.grantFile({} as File)).rejects.toThrow('no');
    await expect(bridge.chooseSaveFile('m.zip')).resolves.toEqual({ handle: 'cairn-file:w', name: 'm.zip' });
  });

  it('asks main for a folder with nothing from the page, and gives the page the handle and name', async () => {
    const fake = fakeIpc((channel) =>
      channel === GRANT_FOLDER_CHANNEL ? { ok: true, result: { handle: 'cairn-file:d', name: 'pets' } } : null,
    );
    const bridge = createBridge(fake.ipc, () => file);
    await expect(bridge.chooseFolder()).resolves.toEqual({ handle: 'cairn-file:d', name: 'pets' });
    expect(fake.invoked).toEqual([[GRANT_FOLDER_CHANNEL, null]]);
  });
});

describe('desktop service', () => {
  it('takes paths only as granted handles', async () => {
    const grants = new FileGrants();
    const service = await CairnService.open({
      home: path.join(dir, 'home'),
      host: 'desktop',
      files: grantedFiles(grants),
    });
    try {
      const refused = await service.call('datasets.importNow', { path: file });
      expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      const passwd = await service.call('datasets.importNow', { path: '/etc/passwd' });
      expect(passwd).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      const written = await service.call('models.export', {
        name: 'x',
        out: grants.grant(path.join(dir, 'x.zip'), 'read'),
      });
      expect(written).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      const imported = await service.invoke('datasets.importNow', { path: grants.grant(file, 'read') });
      expect(imported).toMatchObject({ name: 'picked', rows: 2 });
    } finally {
      await service.close();
    }
    // Without a grant table, the desktop host takes no path at all.
    const bare = await CairnService.open({ home: path.join(dir, 'home'), host: 'desktop' });
    try {
      expect(await bare.call('datasets.importNow', { path: file })).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' },
      });
    } finally {
      await bare.close();
    }
  });
});
