// For test files about the wasm backend: their tests run on it, chosen as a run chooses its backend.
import { afterAll, beforeAll, expect } from 'vitest';
import { selectBackend } from '../../../../../electron/core/training/backend.js';

/** Selects the wasm backend before the file's tests, and puts CAIRN_BACKEND back after them. */
export function onWasmBackend(): void {
  const preferred = process.env.CAIRN_BACKEND;
  beforeAll(async () => {
    process.env.CAIRN_BACKEND = 'wasm';
    expect((await selectBackend()).name).toBe('wasm');
  });
  afterAll(() => {
    if (preferred === undefined) delete process.env.CAIRN_BACKEND;
    else process.env.CAIRN_BACKEND = preferred;
  });
}
