// Browser uploads: the raw file as one PUT, through XMLHttpRequest because fetch cannot report
// upload progress, which drives the import's progress bar while bytes travel.
import { ApiError, toApiError } from './api-error.js';

export interface UploadResult {
  path: string;
  name: string;
}

export interface UploadHandle {
  done: Promise<UploadResult>;
  abort(): void;
}

/** Sends a file to PUT /api/upload; onProgress gets (bytes sent, total bytes). */
export function uploadFile(file: File, onProgress: (sent: number, total: number) => void, base = ''): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadResult>((resolve, reject) => {
    xhr.open('PUT', `${base}/api/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (ev) => onProgress(ev.loaded, ev.lengthComputable ? ev.total : file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        reject(
          new ApiError({
            code: 'internal',
            message: `uploading ${file.name} failed: the server answered ${xhr.status}`,
          }),
        );
        return;
      }
      const b = body as { path?: unknown; name?: unknown; ok?: unknown; error?: unknown };
      if (xhr.status >= 200 && xhr.status < 300 && typeof b.path === 'string') {
        resolve({ path: b.path, name: typeof b.name === 'string' ? b.name : file.name });
      } else {
        const err = toApiError(b.error, `uploading ${file.name} failed (${xhr.status})`);
        reject(
          new ApiError({
            code: err.code,
            message: `${file.name}: ${err.message}`,
            details: { ...err.details, file: file.name },
          }),
        );
      }
    };
    xhr.onerror = () =>
      reject(
        new ApiError({ code: 'internal', message: `uploading ${file.name} failed: the server could not be reached` }),
      );
    xhr.onabort = () => reject(new ApiError({ code: 'cancelled', message: `upload of ${file.name} was cancelled` }));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
