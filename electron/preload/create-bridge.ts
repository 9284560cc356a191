// Builds the object the preload script exposes. Kept free of the 'electron' import so unit tests
// can drive it with a fake IPC; index.ts hands it the real ipcRenderer and webUtils.
import type { CallReply, EventName, MethodName } from '../../shared/api.js';
import {
  CALL_CHANNEL,
  EVENT_CHANNEL,
  GRANT_FOLDER_CHANNEL,
  GRANT_READ_CHANNEL,
  GRANT_SAVE_CHANNEL,
  isBridgeEventName,
  type CairnBridge,
} from '../../shared/bridge.js';

/** The slice of ipcRenderer the bridge uses. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Handler = (payload: unknown) => void;

/** Creates the frozen `window.cairn` object over one invoke channel and one event channel. */
export function createBridge(ipc: BridgeIpc, getPathForFile: (file: File) => string): CairnBridge {
  const handlers = new Map<EventName, Set<Handler>>();

  // One listener for the page's lifetime; handlers come and go in the map, so the renderer never
  // touches ipcRenderer or its event object (which carries `sender`).
  ipc.on(EVENT_CHANNEL, (_event, name, payload) => {
    if (!isBridgeEventName(name)) return;
    for (const handler of handlers.get(name) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        // One faulty handler must not starve the others of the event.
        console.error(`cairn: handler for ${name} failed`, err);
      }
    }
  });

  const call = async (method: MethodName, arg?: unknown): Promise<CallReply<MethodName>> => {
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'invalid_argument', message: 'method must be a string' } };
    }
    try {
      return (await ipc.invoke(CALL_CHANNEL, method, arg)) as CallReply<MethodName>;
    } catch (err) {
      // invoke rejects only when the transport fails (e.g. an argument that cannot be cloned);
      // the contract promises an envelope either way.
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { code: 'internal', message } };
    }
  };

  const on = (event: EventName, handler: Handler): (() => void) => {
    if (!isBridgeEventName(event)) throw new TypeError(`unknown event "${String(event)}"`);
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    // Wrapped so subscribing the same function twice gives two independent subscriptions.
    const entry: Handler = (payload) => handler(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  };

  /** A grant request's reply: its result, or the refusal thrown as an Error the renderer can show. */
  const granted = async <T>(channel: string, arg: unknown): Promise<T> => {
    const reply = (await ipc.invoke(channel, arg)) as
      { ok: true; result: T } | { ok: false; error: { code: string; message: string } };
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.result;
  };

  // The path comes from the File itself (getPathForFile), never from the page: a page script can
  // pass only a File, and cannot forge one with a real path. Main grants a handle for it.
  const grantFile = async (file: File): Promise<string> => {
    let local: string;
    try {
      local = getPathForFile(file);
    } catch {
      throw new TypeError('grantFile takes a File that was dropped or picked');
    }
    return local ? granted<string>(GRANT_READ_CHANNEL, local) : '';
  };

  const chooseSaveFile = (suggestedName: string): Promise<{ handle: string; name: string } | null> =>
    granted(GRANT_SAVE_CHANNEL, typeof suggestedName === 'string' ? suggestedName : '');

  const chooseFolder = (): Promise<{ handle: string; name: string } | null> => granted(GRANT_FOLDER_CHANNEL, null);

  return Object.freeze({ call, on, grantFile, chooseSaveFile, chooseFolder }) as CairnBridge;
}
