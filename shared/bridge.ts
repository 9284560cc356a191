// The desktop bridge: what the preload script exposes to the renderer as `window.cairn`, and the
// two IPC channels behind it. Types and constants only, so the sandboxed preload bundle stays
// free of zod and the renderer can type its IPC client from it.
import type { CallReply, EventName, EventPayload, MethodInput, MethodName } from './api.js';

/** The one invoke channel: (method name, argument) -> CallReply envelope. */
export const CALL_CHANNEL = 'cairn:call';
/** The one event channel: main sends (event name, payload) for every engine event. */
export const EVENT_CHANNEL = 'cairn:event';
/** (path of a dropped or picked file) -> GrantReply<handle>: main grants read access to it. */
export const GRANT_READ_CHANNEL = 'cairn:grant-read';
/** (suggested file name) -> GrantReply<{handle, name} | null>: main shows a save dialog. */
export const GRANT_SAVE_CHANNEL = 'cairn:grant-save';
/** () -> GrantReply<{handle, name} | null>: main shows a folder dialog (a folder of pictures). */
export const GRANT_FOLDER_CHANNEL = 'cairn:grant-folder';

/**
 * Every event name in shared/api.ts `events`. Kept as a literal list because importing `events`
 * would pull zod into the sandboxed preload; the type below fails to compile if it drifts.
 */
export const bridgeEventNames = [
  'job.started',
  'job.progress',
  'job.finished',
  'run.queued',
  'run.started',
  'run.progress',
  'run.finished',
  'sweep.progress',
  'model.changed',
  'endpoint.status',
  'pipeline.changed',
  'pipeline.run',
  'pipeline.step',
  'alert.fired',
  'alert.resolved',
  'alert.delivery',
  'retrain.started',
  'retrain.decided',
  'monitoring.changed',
  'source.changed',
  'source.refresh',
  'fleet.status',
  'fleet.workers',
] as const;

type Missing = Exclude<EventName, (typeof bridgeEventNames)[number]>;
// Compile-time check that the list names every event in the contract (Missing must be never).
const _everyEventListed: [Missing] extends [never] ? true : Missing = true;
void _everyEventListed;

/** Whether a string names an event of the contract. */
export function isBridgeEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (bridgeEventNames as readonly string[]).includes(name);
}

/** `window.cairn` in the desktop app: one frozen object, never raw ipcRenderer. */
export interface CairnBridge {
  /** Calls the engine; resolves to the reply envelope and never rejects. */
  call<M extends MethodName>(method: M, arg?: MethodInput<M>): Promise<CallReply<M>>;
  /** Subscribes to one engine event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  /**
   * A handle for a dropped or picked file, to pass where a call takes a path ('' when the file has
   * no local path). Main grants it for a short while; the renderer never sees the path itself.
   */
  grantFile(file: File): Promise<string>;
  /**
   * Asks where to save (the system's save dialog, which confirms replacing a file): a write handle
   * to pass as a call's output path and the chosen file's name, or null when cancelled.
   */
  chooseSaveFile(suggestedName: string): Promise<{ handle: string; name: string } | null>;
  /**
   * Asks for a folder to import (the system's folder dialog): a read handle and the folder's name,
   * or null when cancelled. A file input cannot pick a folder as one thing.
   */
  chooseFolder(): Promise<{ handle: string; name: string } | null>;
}
