import type { LookupFunction } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Token endpoint answers are small; a larger one is not an OAuth response. */
const MAX_BODY_BYTES = 1024 * 1024;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/**
 * `*.localhost` counts as loopback (plain http:// is allowed there), so it must never reach DNS,
 * whose answer could be any host (RFC 6761 §6.3): such names are resolved here, to 127.0.0.1.
 */
const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  if (options.all)
    (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  else callback(null, '127.0.0.1', 4);
};

const FRAMING_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer']);

/**
 * A `fetch` for the few requests this CLI makes, on node:http/https. Why not the global fetch:
 * its first use loads undici and compiles its WASM HTTP parser, which here costs ~85 ms per run
 * against ~10 ms for the request itself (bench/bench.sh). It returns a real `Response`, as
 * openid-client requires, and fails as fetch does (a TypeError whose `cause` carries the system
 * error code; the signal's reason when aborted), so callers cannot tell the difference.
 */
export const nodeHttpFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) throw signal.reason;
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    // node:http frames the request itself, from the body it is given: never from a caller's header.
    if (!FRAMING_HEADERS.has(key)) headers[key] = value;
  });
  const body = encodeBody(init?.body, headers);
  // Framed by the body's own length, as fetch does: node:http would send a DELETE's body unframed.
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

  return new Promise<Response>((resolve, reject) => {
    const lookup = url.hostname.toLowerCase().endsWith('.localhost') ? { lookup: loopbackLookup } : {};
    const req = request(url, { method: init?.method ?? 'GET', headers, ...lookup }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy();
          reject(
            new TypeError('fetch failed', { cause: Object.assign(new Error('response body too large'), { code: 'ERR_BODY_TOO_LARGE' }) }),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      res.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 599) {
          reject(new TypeError('fetch failed', { cause: Object.assign(new Error(`HTTP status ${status}`), { code: 'ERR_BAD_STATUS' }) }));
          return;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
        }
        resolve(
          new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
            status,
            statusText: res.statusMessage ?? '',
            headers: responseHeaders,
          }),
        );
      });
    });
    const onAbort = (): void => {
      req.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    req.end(body);
  });
};

function encodeBody(body: RequestInit['body'], headers: Record<string, string>): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return body.toString();
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return Buffer.from(body as ArrayBuffer);
  throw new TypeError('nodeHttpFetch: unsupported body type');
}
