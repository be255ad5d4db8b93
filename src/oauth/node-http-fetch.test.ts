import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../test/servers/fault-server.js';
import { networkErrorCode } from './http.js';
import { nodeHttpFetch } from './node-http-fetch.js';

let base: string;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    if (req.url === '/echo') {
      res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      res.end(
        JSON.stringify({
          method: req.method,
          type: req.headers['content-type'],
          auth: req.headers.authorization,
          length: req.headers['content-length'],
          chunked: req.headers['transfer-encoding'],
          body,
        }),
      );
    } else if (req.url === '/empty') {
      res.writeHead(204);
      res.end();
    } else if (req.url === '/huge') {
      res.writeHead(200);
      res.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
    } // '/hang' never answers
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('nodeHttpFetch', () => {
  it('sends method, headers and a form body, and returns a real Response', async () => {
    const response = await nodeHttpFetch(`${base}/echo`, {
      method: 'POST',
      headers: new Headers({ authorization: 'Basic abc' }),
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toContain('a=1');
    expect(await response.json()).toEqual({
      method: 'POST',
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      auth: 'Basic abc',
      length: '29',
      body: 'grant_type=client_credentials',
    });
  });
  it('gives a null body for 204', async () => {
    const response = await nodeHttpFetch(`${base}/empty`);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
  it('fails like fetch when the connection is refused', async () => {
    const port = await closedPort();
    const error = await nodeHttpFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(networkErrorCode(error)).toBe('ECONNREFUSED');
  });
  it("rejects with the signal's reason when it aborts, on time", async () => {
    const started = Date.now();
    const error = await nodeHttpFetch(`${base}/hang`, { signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
  it('refuses a body over 1 MiB', async () => {
    const error = await nodeHttpFetch(`${base}/huge`).catch((e: unknown) => e);
    expect(networkErrorCode(error)).toBe('ERR_BODY_TOO_LARGE');
  });
});

describe('nodeHttpFetch framing', () => {
  it("frames every body by its own length, whatever the method or a caller's header says", async () => {
    for (const method of ['DELETE', 'POST', 'PUT']) {
      const response = await nodeHttpFetch(`${base}/echo`, {
        method,
        body: '{"a":1}',
        headers: { 'content-length': '5', 'transfer-encoding': 'chunked' },
      });
      expect(await response.json()).toMatchObject({ method, length: '7', body: '{"a":1}' });
    }
    const echoed = (await (await nodeHttpFetch(`${base}/echo`, { method: 'DELETE', body: '{}' })).json()) as { chunked?: string };
    expect(echoed.chunked).toBeUndefined();
  });
});
