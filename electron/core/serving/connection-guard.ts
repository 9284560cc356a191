// Who may hold one of the endpoint's connections. Node's own `server.maxConnections` counts every
// socket, so clients that open connections and send their headers slowly (slowloris) fill it and
// every new caller is dropped until their header timeout frees a slot. Here a connection is in
// one of two budgets: `pending` until its first request's headers are complete, bounded on its
// own and shed oldest-first when full (a real client's headers arrive at once, so the oldest
// pending sockets are the slow ones), and `established` after, which the connection cap counts.
// Each client address may hold at most `perAddress` connections of either kind. All the counting
// happens when a connection opens or closes, and one map lookup per request tells a connection's
// first request from the next ones: the request path stays as cheap as it was.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Connections that have completed a request's headers, at once; past it, 503 and close. */
  maxConnections: number;
  /** Connections still sending their first request's headers, at once; past it the oldest is closed. */
  maxPendingConnections: number;
  /** Connections from one client address, pending or not; past it a new one is closed at once. */
  maxConnectionsPerAddress: number;
}

export interface ConnectionCounts {
  pending: number;
  established: number;
  /** Connections closed because a budget was full (address, pending or established). */
  shed: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const BUSY_BODY = JSON.stringify({
  error: { code: 'overloaded', message: 'the endpoint has too many open connections; retry after a second' },
});

export class ConnectionGuard {
  /** Sockets whose first request has not completed its headers, oldest first (Map keeps insertion order). */
  private readonly pending = new Map<Socket, string>();
  /** Sockets past their first request's headers, and the address each was counted under. */
  private readonly established = new Map<Socket, string>();
  private readonly perAddress = new Map<string, number>();
  private shed = 0;
  /** The sockets' 'close' listener, made once: the socket is its `this`, so no closure per connection. */
  private readonly closed: (this: Socket) => void;

  /**
   * @param onRefused counts a request answered 503 because the established budget was full (it
   * never reaches the routes, so the endpoint's metrics would not otherwise see it).
   */
  constructor(
    private readonly limits: ConnectionLimits,
    private readonly onRefused: (status: number) => void = () => undefined,
  ) {
    const release = (socket: Socket) => this.release(socket);
    this.closed = function (this: Socket) {
      release(this);
    };
  }

  /** Wraps the server's request handler: a connection's first request moves it to `established`. */
  handler(next: Handler): Handler {
    return (req, res) => {
      const socket = req.socket;
      const address = this.pending.get(socket);
      if (address === undefined) return next(req, res);
      this.pending.delete(socket);
      if (this.established.size >= this.limits.maxConnections) {
        // Its headers are read: a short answer costs less than the caller's retries would.
        this.shed++;
        this.forget(address);
        this.onRefused(503);
        res.shouldKeepAlive = false;
        res.writeHead(503, {
          'content-type': 'application/json; charset=utf-8',
          'retry-after': '1',
          connection: 'close',
        });
        res.end(BUSY_BODY);
        return;
      }
      this.established.set(socket, address);
      next(req, res);
    };
  }

  /** Starts counting the connections of a server (an http.Server: anything that emits 'connection'). */
  attach(server: EventEmitter): void {
    server.on('connection', (socket: Socket) => this.opened(socket));
  }

  /** Closes every connection still sending its first headers (the endpoint is closing: none will be answered). */
  closePending(): void {
    for (const socket of [...this.pending.keys()]) socket.destroy();
  }

  counts(): ConnectionCounts {
    return { pending: this.pending.size, established: this.established.size, shed: this.shed };
  }

  private opened(socket: Socket): void {
    const address = socket.remoteAddress;
    if (address === undefined) {
      // Already reset by the peer: nothing to count.
      socket.destroy();
      return;
    }
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.limits.maxConnectionsPerAddress) {
      this.shed++;
      socket.destroy();
      return;
    }
    this.perAddress.set(address, held + 1);
    this.pending.set(socket, address);
    socket.once('close', this.closed);
    if (this.pending.size > this.limits.maxPendingConnections) {
      const oldest = this.pending.keys().next().value as Socket;
      // Released now, not at its 'close' (a tick later): a burst accepted in one turn must shed
      // one socket each, not the same oldest again.
      this.release(oldest);
      this.shed++;
      oldest.destroy();
    }
  }

  /** A socket closed, whoever closed it: frees its place in its budgets. */
  private release(socket: Socket): void {
    let address = this.pending.get(socket);
    if (address !== undefined) this.pending.delete(socket);
    else {
      address = this.established.get(socket);
      // Shed, or refused at the established cap: already released.
      if (address === undefined) return;
      this.established.delete(socket);
    }
    this.forget(address);
  }

  private forget(address: string): void {
    const held = (this.perAddress.get(address) ?? 1) - 1;
    if (held > 0) this.perAddress.set(address, held);
    else this.perAddress.delete(address);
  }
}
