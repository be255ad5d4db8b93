import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FlowError } from '../errors.js';
import { forgedPage, malformedPage, notFoundPage, renderPage, type Page } from './pages.js';

/** What a callback carries, once its `state` matched. */
export interface AcceptedCallback {
  /** The redirect URI as configured, with the callback's query: what openid-client checks. */
  url: URL;
  /** Sends the page the browser waits for (held until the flow knows the outcome). */
  respond(page: Page): void;
}

export interface LoopbackServer {
  /** Resolves with the first callback whose `state` matches; forged ones are answered 400 and ignored. */
  readonly accepted: Promise<AcceptedCallback>;
  /** Checks a pasted redirect URL as if it had arrived here; returns why it was refused, if it was. */
  submit(pasted: string): string | undefined;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  redirectUri: URL;
  expectedState: string;
  /** The variable that sets the redirect URI, for the port-in-use message. */
  variable: string;
  /** Told of each ignored request (a wrong state, a wrong path). */
  onIgnored: (reason: string) => void;
  /** How long a held browser request may wait for the outcome. */
  holdMs?: number;
}

/** `state` compared in constant time; a missing or different-length value is simply wrong. */
export function stateMatches(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]):\d+$/i;

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The callback URL carries the code: never send it onwards.
  'referrer-policy': 'no-referrer',
};

function send(res: ServerResponse, page: Page): void {
  if (res.headersSent) return;
  res.writeHead(page.status, SECURITY_HEADERS);
  res.end(renderPage(page));
}

/** The addresses to bind: 127.0.0.1, and ::1 too for `localhost`; never anything else. */
export function bindAddresses(hostname: string): string[] {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return ['127.0.0.1', '::1'];
  return [host];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * The loopback callback listener (RFC 8252 §7.3). Steps:
 * 1. bind the redirect URI's port on loopback only (a port in use is a FlowError naming it);
 * 2. answer anything but GET on the redirect path with an error page;
 * 3. compare `state` in constant time: a wrong or missing one gets a 400 page and the wait goes on;
 * 4. take the first matching callback (a code or an `error=`), hold its request for the outcome
 *    page, and stop listening, so a replayed callback finds nobody.
 */
export async function startLoopbackServer(options: LoopbackOptions): Promise<LoopbackServer> {
  const port = Number(options.redirectUri.port);
  const path = options.redirectUri.pathname;
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let settle: ((callback: AcceptedCallback) => void) | undefined;
  const accepted = new Promise<AcceptedCallback>((resolve) => (settle = resolve));
  let done = false;
  const holdMs = options.holdMs ?? 30_000;

  const stopListening = (): void => {
    for (const server of servers) server.close();
  };

  /** The checks every callback passes, wherever it came from; undefined when it is taken. */
  const take = (query: URLSearchParams, respond: (page: Page) => void): string | undefined => {
    if (done) return 'the sign-in has already completed';
    if (!stateMatches(query.get('state'), options.expectedState)) {
      return query.has('state') ? 'its state does not match this sign-in' : 'it carries no state';
    }
    if (!query.has('code') && !query.has('error')) return 'it carries neither a code nor an error';
    done = true;
    stopListening();
    const url = new URL(options.redirectUri.href);
    url.search = query.toString();
    settle?.({ url, respond });
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://callback.invalid');
    } catch {
      // Any web page can send one (`//a:99999/` from an <img>): it must not end the sign-in.
      options.onIgnored('a malformed request');
      send(res, malformedPage());
      return;
    }
    // A browser sent here by a foreign page through DNS rebinding names that page's host.
    if (!LOOPBACK_HOST.test(req.headers.host ?? '') || !(req.headers.host ?? '').endsWith(`:${port}`)) {
      options.onIgnored(`a request for the host ${JSON.stringify(req.headers.host ?? '')}`);
      send(res, notFoundPage());
      return;
    }
    if (req.method !== 'GET' || url.pathname !== path) {
      options.onIgnored(`a ${req.method ?? 'GET'} request for ${url.pathname}`);
      send(res, notFoundPage());
      return;
    }
    const held: { timer?: ReturnType<typeof setTimeout> } = {};
    const refused = take(url.searchParams, (page) => {
      clearTimeout(held.timer);
      send(res, page);
      res.once('finish', () => req.socket.end());
    });
    if (refused !== undefined) {
      options.onIgnored(`a callback, because ${refused}`);
      send(res, forgedPage());
      return;
    }
    held.timer = setTimeout(
      () => send(res, { status: 200, ok: true, title: 'Sign-in received', lines: ['Return to the terminal. You can close this tab.'] }),
      holdMs,
    );
    held.timer.unref();
  };

  for (const host of bindAddresses(options.redirectUri.hostname)) {
    const server = createServer(handle);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    try {
      await listen(server, port, host);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No IPv6 on this machine: 127.0.0.1 alone serves `localhost`.
      if (host === '::1' && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      stopListening();
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        throw new FlowError(
          'port_in_use',
          `cannot listen for the browser callback on ${host === '::1' ? '[::1]' : host}:${port}: ${code === 'EACCES' ? 'permission denied' : 'the port is in use by another program'}`,
          `stop that program, or register another loopback redirect URI (another port) with the provider and set ${options.variable}`,
        );
      }
      throw error;
    }
  }

  return {
    accepted,
    submit: (pasted) => {
      let url: URL;
      try {
        url = new URL(pasted.trim());
      } catch {
        return 'that is not a URL';
      }
      if (url.pathname !== path || (url.port || '80') !== String(port)) {
        return `that is not the redirect URI ${options.redirectUri.origin}${path}`;
      }
      return take(url.searchParams, () => undefined);
    },
    close: async () => {
      stopListening();
      // Give a just-answered browser request a moment to flush, then drop what is left.
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))));
    },
  };
}
