// Picks the transport once at start: the Electron preload's bridge when present, else HTTP.
import type { CairnClient } from '../../../shared/api.js';
import type { CairnBridge } from '../../../shared/bridge.js';
import { ApiError } from './api-error.js';
import { createHttpClient } from './http-client.js';
import { createIpcClient } from './ipc-client.js';
import { uploadFile, type UploadHandle } from './upload.js';

declare global {
  interface Window {
    cairn?: CairnBridge;
  }
}

/** How a picked or dropped file reaches the engine as something `datasets.import` can read. */
export type FileSource =
  | { kind: 'path'; path: string }
  | { kind: 'upload'; start: (onProgress: (sent: number, total: number) => void) => UploadHandle };

export interface Transport {
  client: CairnClient;
  host: 'desktop' | 'browser';
  /** A local path in the desktop app; an upload in the browser. */
  sourceFor(file: File): FileSource;
}

/** The transport for this page. */
export function createTransport(): Transport {
  const bridge = window.cairn;
  if (bridge) {
    return {
      client: createIpcClient(bridge),
      host: 'desktop',
      sourceFor(file) {
        const path = bridge.pathForFile(file);
        // The engine reads files from disk; a dropped item with no path (e.g. from another app's
        // memory) cannot be imported, and says so.
        return path ? { kind: 'path', path } : { kind: 'upload', start: () => noPath(file) };
      },
    };
  }
  return {
    client: createHttpClient(),
    host: 'browser',
    sourceFor: (file) => ({ kind: 'upload', start: (onProgress) => uploadFile(file, onProgress) }),
  };
}

function noPath(file: File): UploadHandle {
  return {
    done: Promise.reject(new ApiError({ code: 'invalid_argument', message: `${file.name} has no local path; save it to disk first`, details: { file: file.name } })),
    abort: () => undefined,
  };
}

/** Removes ?token= from the address bar: the cookie now carries it, and URLs get copied and shared. */
export function stripTokenFromUrl(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}
