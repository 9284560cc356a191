// The desktop transport: the preload's `window.cairn` already speaks envelopes over one IPC
// channel; this only turns error envelopes into thrown ApiErrors like the HTTP client does.
import type { CairnClient, MethodInput, MethodName, MethodResult } from '../../../shared/api.js';
import type { CairnBridge } from '../../../shared/bridge.js';
import { unwrapReply } from './api-error.js';

/** A CairnClient over the Electron preload bridge. */
export function createIpcClient(bridge: CairnBridge): CairnClient {
  return {
    async call<M extends MethodName>(method: M, arg: MethodInput<M>): Promise<MethodResult<M>> {
      return unwrapReply<MethodResult<M>>(await bridge.call(method, arg));
    },
    on: (event, handler) => bridge.on(event, handler),
  };
}
