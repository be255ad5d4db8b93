import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../test/servers/fault-server.js';
import { FlowError } from '../errors.js';
import { bindAddresses, startLoopbackServer, stateMatches } from './loopback-server.js';

/** Whether this machine has IPv6 loopback; CI machines may not. */
async function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

describe('stateMatches', () => {
  it('compares whole values, whatever their length', () => {
    expect(stateMatches('abc', 'abc')).toBe(true);
    expect(stateMatches('abd', 'abc')).toBe(false);
    expect(stateMatches('ab', 'abc')).toBe(false);
    expect(stateMatches(null, 'abc')).toBe(false);
    expect(stateMatches('', '')).toBe(true);
  });
});

describe('bindAddresses', () => {
  it('binds loopback addresses only', () => {
    expect(bindAddresses('localhost')).toEqual(['127.0.0.1', '::1']);
    expect(bindAddresses('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(bindAddresses('[::1]')).toEqual(['::1']);
  });
});

describe('startLoopbackServer', () => {
  it('listens on 127.0.0.1 and, for localhost, on ::1 where present; nowhere else', async () => {
    const port = await closedPort();
    const ignored: string[] = [];
    const server = await startLoopbackServer({
      redirectUri: new URL(`http://localhost:${port}/cb`),
      expectedState: 's',
      variable: 'V',
      onIgnored: (reason) => ignored.push(reason),
    });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/cb?state=x`)).status).toBe(400);
      const v6 = await fetch(`http://[::1]:${port}/cb?state=x`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect(v6).toBe((await hasIpv6Loopback()) ? 400 : 'refused');
      expect(ignored.length).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
    }
  });

  it('ignores a request whose Host is not a loopback name (DNS rebinding)', async () => {
    const port = await closedPort();
    const server = await startLoopbackServer({
      redirectUri: new URL(`http://127.0.0.1:${port}/cb`),
      expectedState: 's',
      variable: 'V',
      onIgnored: () => undefined,
    });
    try {
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/cb?state=s&code=c', headers: { host: `attacker.example.com:${port}` } },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(404);
      // The real callback still works afterwards.
      const accepted = server.accepted.then((callback) => {
        callback.respond({ status: 200, ok: true, title: 'ok', lines: [] });
        return callback.url.searchParams.get('code');
      });
      expect((await fetch(`http://127.0.0.1:${port}/cb?state=s&code=c`)).status).toBe(200);
      expect(await accepted).toBe('c');
    } finally {
      await server.close();
    }
  });

  it('turns a port in use into a FlowError naming the variable', async () => {
    const port = await closedPort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const error = await startLoopbackServer({
        redirectUri: new URL(`http://127.0.0.1:${port}/cb`),
        expectedState: 's',
        variable: 'EGRESS_OAUTH_REDIRECT_URI_4',
        onIgnored: () => undefined,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FlowError);
      expect((error as FlowError).hint).toContain('EGRESS_OAUTH_REDIRECT_URI_4');
    } finally {
      blocker.close();
    }
  });
});
