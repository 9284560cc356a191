// Shared by the browser host's tests: `cairn ui`'s host on a free loopback port over a fresh data
// folder, with a one-page UI folder, closed and removed again after.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CairnService } from '../../../../electron/core/service.js';
import { startHttpHost, type RunningHost } from '../../../../electron/server/http-host.js';

export interface BrowserHost {
  /** The temp folder: ui/ (the page), home/ (the data folder). */
  dir: string;
  service: CairnService;
  host: RunningHost;
  close(): Promise<void>;
}

/** Starts a browser host whose token is `token`. */
export async function startBrowserHost(prefix: string, token: string): Promise<BrowserHost> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const ui = path.join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>Cairn</title>');
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'browser' });
  const host = await startHttpHost({ service, staticDir: ui, uploadDir: path.join(dir, 'home', 'uploads'), token });
  return {
    dir,
    service,
    host,
    async close() {
      await host.close();
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
