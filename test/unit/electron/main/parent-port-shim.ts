// Loaded with --import into a child_process.fork child by utility-spawner.test.ts: gives the
// child Electron's process.parentPort (postMessage, and 'message' events carrying `data`) on
// top of Node's IPC channel, so the entry runs the code path it runs under utilityProcess.
// process.send goes away: an entry that still used it would never be heard.
const send = process.send?.bind(process);
if (!send) throw new Error('parent-port-shim needs an IPC channel');
Object.assign(process, {
  send: undefined,
  parentPort: {
    postMessage: (message: unknown) => send(message),
    on: (_event: 'message', listener: (ev: { data: unknown }) => void) =>
      process.on('message', (data) => listener({ data })),
  },
});
