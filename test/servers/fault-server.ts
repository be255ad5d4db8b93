import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * A hand-written HTTP server for the faults a real identity provider will not produce on demand:
 * a connection that never answers, a reset, an HTML error page, a rate limit. Each request takes the
 * next action of the script; `proxy` forwards to a real server.
 */
export type FaultAction =
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'status'; status: number; body: string; contentType?: string; headers?: Record<string, string> }
  /** `keepHost`: the upstream sees this server's host, so URLs it derives from the request (an assertion's audience) match. */
  | { kind: 'proxy'; target: string; keepHost?: boolean }
  /** A hostile provider: a 400 OAuth error whose description repeats the request's Authorization header and body. */
  | { kind: 'echo' };

export interface FaultServer {
  url: string;
  hits: number;
  /** When each request arrived (ms since the epoch). */
  times: number[];
  /** Each request's body, as received. */
  bodies: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `script[i]` answers request i; the last action repeats. */
export async function startFaultServer(script: FaultAction[]): Promise<FaultServer> {
  const state = { hits: 0, times: [] as number[], bodies: [] as string[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const action = script[Math.min(state.hits, script.length - 1)] as FaultAction;
    state.hits++;
    state.times.push(Date.now());
    void (async () => {
      const body = await readBody(req);
      state.bodies.push(body.toString('utf8'));
      switch (action.kind) {
        case 'hang':
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'status':
          res.writeHead(action.status, { 'content-type': action.contentType ?? 'text/html', ...action.headers });
          res.end(action.body);
          return;
        case 'echo':
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: 'invalid_client',
              error_description: `you sent authorization=${req.headers.authorization ?? '-'} body=${body.toString('utf8')}`,
            }),
          );
          return;
        case 'proxy': {
          if (action.keepHost) {
            // node:http, since fetch will not send another host's Host header.
            const upstream = request(new URL(req.url ?? '/', action.target), { method: req.method, headers: req.headers });
            upstream.on('response', (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            });
            upstream.end(body);
            return;
          }
          const headers = new Headers();
          for (const [key, value] of Object.entries(req.headers)) {
            if (typeof value === 'string' && key !== 'host' && key !== 'content-length' && key !== 'connection') headers.set(key, value);
          }
          const upstream = await fetch(new URL(req.url ?? '/', action.target), {
            method: req.method,
            headers,
            ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
          });
          const responseHeaders: Record<string, string> = {};
          upstream.headers.forEach((value, key) => {
            if (key !== 'content-encoding' && key !== 'transfer-encoding' && key !== 'content-length') responseHeaders[key] = value;
          });
          res.writeHead(upstream.status, responseHeaders);
          res.end(Buffer.from(await upstream.arrayBuffer()));
          return;
        }
      }
    })();
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    times: state.times,
    bodies: state.bodies,
    close,
  };
}

/**
 * Listens on 127.0.0.1 at a free port. `close` ends every connection, busy or idle (a hanging
 * request included), then the server: a test's servers never outlive it.
 */
export async function listenOnLoopback(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
