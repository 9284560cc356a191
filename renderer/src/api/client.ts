// Picks the transport once at start: the Electron preload's bridge when present, else HTTP.
import type { CairnClient, ExportFormat } from '../../../shared/api.js';
import type { CairnBridge } from '../../../shared/bridge.js';
import { ApiError } from './api-error.js';
import { ConnectionStatus } from './connection.js';
import { createHttpClient } from './http-client.js';
import { createIpcClient } from './ipc-client.js';
import { uploadFile, type UploadHandle } from './upload.js';

declare global {
  interface Window {
    cairn?: CairnBridge;
  }
}

/**
 * How a picked or dropped file reaches the engine as something `datasets.import` can read: in the
 * desktop app a handle main grants for it (the renderer never holds a path), in the browser an upload.
 */
export type FileSource =
  | { kind: 'handle'; grant: () => Promise<string> }
  | { kind: 'upload'; start: (onProgress: (sent: number, total: number) => void) => UploadHandle };

/** Where an exported bundle went: a file the user chose (desktop), or a download the browser saves. */
export type ExportOutcome =
  | { kind: 'written'; path: string; bytes: number }
  | { kind: 'download'; url: string; fileName: string }
  | { kind: 'cancelled' };

export interface Transport {
  client: CairnClient;
  host: 'desktop' | 'browser';
  /** A granted handle in the desktop app; an upload in the browser. */
  sourceFor(file: File): FileSource;
  /**
   * The desktop app's folder dialog (a folder of pictures), as a read handle and the folder's name;
   * null when cancelled. Absent in the browser, which cannot upload a folder as one file.
   */
  chooseFolder?: () => Promise<{ handle: string; name: string } | null>;
  /**
   * Exports a model version: through a save dialog in the desktop app; in the browser, the URL of
   * its download (outputs never land on the server's disk).
   */
  exportModel(ref: { name: string; version: number }, format: ExportFormat): Promise<ExportOutcome>;
  /** Whether the engine is reachable: the browser host's server can stop under an open page. */
  connection: ConnectionStatus;
}

/** The transport for this page. */
export function createTransport(): Transport {
  const bridge = window.cairn;
  if (bridge) {
    const client = createIpcClient(bridge);
    return {
      client,
      host: 'desktop',
      // The engine lives in this app's own main process: there is no server to lose.
      connection: new ConnectionStatus('connected'),
      sourceFor: (file) => ({
        kind: 'handle',
        grant: async () => {
          const handle = await bridge.grantFile(file);
          // The engine reads files from disk; a dropped item with no path (e.g. from another app's
          // memory) cannot be imported, and says so.
          if (!handle) throw noPath(file);
          return handle;
        },
      }),
      chooseFolder: () => bridge.chooseFolder(),
      async exportModel({ name, version }, format) {
        const chosen = await bridge.chooseSaveFile(exportFileName(name, version, format));
        if (!chosen) return { kind: 'cancelled' };
        // The dialog already asked before replacing a file, so the handle may replace one.
        const r = await client.call('models.export', { name, version, out: chosen.handle, overwrite: true, format });
        return { kind: 'written', path: r.path, bytes: r.bytes };
      },
    };
  }
  const connection = new ConnectionStatus();
  return {
    client: createHttpClient({ connection }),
    host: 'browser',
    connection,
    sourceFor: (file) => ({ kind: 'upload', start: (onProgress) => uploadFile(file, onProgress) }),
    exportModel: async ({ name, version }, format) => ({
      kind: 'download',
      url: modelDownloadUrl(name, version, '', format),
      fileName: exportFileName(name, version, format),
    }),
  };
}

/** The file an export is saved as: "churn-v3.zip", or "churn-v3.onnx". */
export function exportFileName(name: string, version: number, format: ExportFormat): string {
  return `${name}-v${version}.${format === 'onnx' ? 'onnx' : 'zip'}`;
}

/** The browser host's download route for a model version's bundle or ONNX file (token-guarded by the cookie). */
export function modelDownloadUrl(name: string, version: number, base = '', format: ExportFormat = 'bundle'): string {
  const query = { name, version: String(version), ...(format === 'bundle' ? {} : { format }) };
  return `${base}/api/download/model?${new URLSearchParams(query).toString()}`;
}

function noPath(file: File): ApiError {
  return new ApiError({
    code: 'invalid_argument',
    message: `${file.name} has no local path; save it to disk first`,
    details: { file: file.name },
  });
}

/** Removes ?token= from the address bar: the cookie now carries it, and URLs get copied and shared. */
export function stripTokenFromUrl(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}
