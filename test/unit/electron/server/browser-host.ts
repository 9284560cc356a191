// Shared by the browser host's tests: `cairn ui`'s host on a free loopback port over a fresh data
// folder, with a one-page UI folder, closed and removed again after; and requests to it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
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

export interface HostRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HostReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request to a loopback host over node:http, not fetch: fetch will not let a test set the Host header. */
export function requestHost(port: number, options: HostRequest): Promise<HostReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    // The server may answer (413) before the body is all sent and close: the answer still counts.
    req.on('error', reject);
    req.end(options.body);
  });
}
