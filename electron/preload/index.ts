// Runs in the sandboxed preload context: exposes one frozen typed client as `window.cairn` and
// nothing else. Sandboxed preloads load as a single CommonJS script, so this file and what it
// imports must bundle without node_modules (no zod: shared/bridge.ts holds the event names).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './create-bridge.js';

contextBridge.exposeInMainWorld(
  'cairn',
  createBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);
