/**
 * Issue 9: defects found by attacking the CLI. One describe per item; each test failed before its fix.
 */
import path from 'node:path';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aged, makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort, startFaultServer } from '../servers/fault-server.js';
import { runInProcess, testDeps, TestSignals } from '../helpers/in-process.js';
import { startCli } from '../helpers/run-cli.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';
import { startLoopbackServer } from '../../src/callback/loopback-server.js';
import { watch, type WatchEvent } from '../../src/usecases/watch.js';

/** Sends a raw HTTP request line (which no fetch would send) and returns the status line. */
function rawRequest(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('9.1: a malformed request does not end a pending browser sign-in', () => {
  it('answers 400 to targets that are not URLs, and still takes the real callback', async () => {
    const port = await closedPort();
    const ignored: string[] = [];
    const server = await startLoopbackServer({
      redirectUri: new URL(`http://127.0.0.1:${port}/callback`),
      expectedState: 'the-state',
      variable: 'EGRESS_OAUTH_REDIRECT_URI_1',
      onIgnored: (reason) => ignored.push(reason),
    });
    try {
      expect(await rawRequest(port, '//a:99999/')).toBe('HTTP/1.1 400 Bad Request');
      expect(await rawRequest(port, '//[::1/')).toBe('HTTP/1.1 400 Bad Request');
      expect(ignored).toEqual(['a malformed request', 'a malformed request']);
      const answer = fetch(`http://127.0.0.1:${port}/callback?state=the-state&code=c0de`);
      const callback = await server.accepted;
      expect(callback.url.searchParams.get('code')).toBe('c0de');
      callback.respond({ status: 200, ok: true, title: 'Signed in', lines: [] });
      expect((await answer).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

const SECRET = 'issue9-secret-0123456789';
let idp: LocalIdp;
beforeAll(async () => {
  idp = await startLocalIdp({ shape: 'keycloak', accessTokenTtl: 300, clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
});
afterAll(() => idp.close());

const keycloak = (url: string, secret = SECRET): Record<string, string> => ({
  AUTH_PROVIDER: 'keycloak',
  KEYCLOAK_URL: url,
  KEYCLOAK_M2M_CLIENT_ID: 'm2m',
  KEYCLOAK_M2M_CLIENT_SECRET: secret,
  REGISTRY_URL: 'https://gateway.example.com',
});

describe('9.2: a refused renewal backs off instead of retrying every second', () => {
  it('makes one request in 3.5 s for an expired token whose secret is refused, and says what to do once', async () => {
    const cwd = makeWorkdir('mcpgw-i9-');
    expect((await runInProcess(['--ingress-only'], { cwd, env: keycloak(idp.baseUrl) })).code).toBe(0);
    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    writeFileSync(file, JSON.stringify(aged(readJson(file), -10)), { mode: 0o600 });
    const { deps, stderr } = await testDeps({ cwd, env: keycloak(idp.baseUrl, 'the-wrong-secret-000') });
    const signals = new TestSignals();
    const events: WatchEvent[] = [];
    const before = idp.tokenRequests().length;
    const stop = setTimeout(() => signals.send('SIGTERM'), 3_500);
    try {
      await watch(
        { ...deps, signals },
        {
          bufferSeconds: 3600,
          intervalSeconds: 300,
          force: false,
          reload: () => ({ config: deps.config, providers: deps.providers }),
          onEvent: (event) => events.push(event),
        },
      );
    } finally {
      clearTimeout(stop);
    }
    expect(idp.tokenRequests().length - before).toBe(1);
    expect(events.filter((e) => e.type === 'backing-off')).toEqual([{ type: 'backing-off', retrySeconds: 5, unavailable: false }]);
    const failure = events.find((e) => e.type === 'outcome' && e.outcome.status === 'failed');
    expect(failure).toBeDefined();
    expect(stderr()).toBe('');
  });

  it('does not wake every second for a stale token nothing configures any more', async () => {
    const cwd = makeWorkdir('mcpgw-i9-');
    expect((await runInProcess(['--ingress-only'], { cwd, env: keycloak(idp.baseUrl) })).code).toBe(0);
    const dir = path.join(cwd, '.oauth-tokens');
    const stale = { ...aged(readJson(path.join(dir, 'ingress.json')), -60), agent_id: 'gone' };
    writeFileSync(path.join(dir, 'agent-gone-token.json'), JSON.stringify(stale), { mode: 0o600 });
    const { deps } = await testDeps({ cwd, env: keycloak(idp.baseUrl) });
    const signals = new TestSignals();
    const sleeps: number[] = [];
    await watch(
      { ...deps, signals },
      {
        bufferSeconds: 60,
        intervalSeconds: 300,
        force: false,
        reload: () => ({ config: deps.config, providers: deps.providers }),
        onEvent: (event) => {
          if (event.type === 'sleeping') {
            sleeps.push(event.seconds);
            signals.send('SIGTERM');
          }
        },
      },
    );
    // The ingress token (300 s, renewed at half its life) sets the sleep, not the stale agent token.
    expect(sleeps[0]).toBeGreaterThan(100);
  });
});

describe('9.3: files another user could have planted are not trusted', () => {
  /** A signed-in working directory. */
  async function signedIn(): Promise<{ cwd: string; dir: string; env: Record<string, string> }> {
    const cwd = makeWorkdir('mcpgw-i9-');
    const env = keycloak(idp.baseUrl);
    expect((await runInProcess(['--ingress-only'], { cwd, env })).code).toBe(0);
    return { cwd, dir: path.join(cwd, '.oauth-tokens'), env };
  }
  const commands = [['token'], ['headers', '--server', 'mcpgw'], ['status'], ['--ingress-only'], ['render'], ['refresh', '--json']];

  it('refuses, on every read path, a record file others can read or write, naming it and the fix', async () => {
    const { cwd, dir, env } = await signedIn();
    chmodSync(path.join(dir, 'ingress.json'), 0o644);
    for (const args of commands) {
      const result = await runInProcess(args, { cwd, env });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout.includes('Bearer')).toBe(false);
      expect(result.stderr + result.stdout).toContain(`${path.join(dir, 'ingress.json')} can be read or written by others (mode 644)`);
    }
  });

  it('refuses a record file that belongs to another user', async () => {
    const { cwd, dir, env } = await signedIn();
    chownSync(path.join(dir, 'ingress.json'), 65534, 65534);
    const result = await runInProcess(['headers', '--server', 'mcpgw'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('belongs to another user (uid 65534)');
  });

  it('refuses a tokens directory that is a symbolic link, and leaves its target alone', async () => {
    const { cwd, dir, env } = await signedIn();
    const elsewhere = path.join(makeWorkdir('mcpgw-i9-target-'), 'tokens');
    mkdirSync(elsewhere, { mode: 0o755 });
    chmodSync(elsewhere, 0o755);
    const linked = path.join(cwd, 'linked-tokens');
    symlinkSync(elsewhere, linked);
    for (const args of commands) {
      const result = await runInProcess([...args, '--tokens-dir', linked], { cwd, env });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr + result.stdout).toContain('is a symbolic link; mcpgw-creds never follows one there');
    }
    expect(statSync(elsewhere).mode & 0o777).toBe(0o755);
    expect(existsSync(dir)).toBe(true);
  });

  it('refuses a tokens directory that belongs to another user', async () => {
    const { cwd, dir, env } = await signedIn();
    chownSync(dir, 65534, 65534);
    const result = await runInProcess(['status'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('belongs to another user (uid 65534)');
  });
});

describe('9.6: secrets are redacted in the forms an identity provider can echo', () => {
  it('the Basic header (base64 of id:secret), the form-encoded body, and short secrets', async () => {
    const fault = await startFaultServer([{ kind: 'echo' }]);
    try {
      const cwd = makeWorkdir('mcpgw-i9-');
      const short = 'Ab3$x y';
      // Cognito authenticates with HTTP Basic; Keycloak posts the secret in the form.
      const cognito = {
        AUTH_PROVIDER: 'cognito',
        INGRESS_OAUTH_USER_POOL_ID: 'us-east-1_TestPool1',
        INGRESS_OAUTH_CLIENT_ID: 'cid',
        INGRESS_OAUTH_CLIENT_SECRET: short,
        COGNITO_DOMAIN: fault.url,
      };
      const basic = await runInProcess(['--ingress-only', '--json'], { cwd, env: cognito });
      expect(basic.code).toBe(3);
      expect(basic.stderr).toContain('authorization=Basic [redacted]');
      expect(basic.stdout).toContain('authorization=Basic [redacted]');
      const form = await runInProcess(['--ingress-only', '--json'], { cwd, env: keycloak(fault.url, short) });
      expect(form.code).toBe(3);
      expect(form.stderr).toContain('client_secret=[redacted]');
      for (const output of [basic.stderr, basic.stdout, form.stderr, form.stdout]) {
        expect(output).not.toContain(short);
        expect(output).not.toContain(encodeURIComponent(short));
        expect(output).not.toContain('Ab3%24x+y');
      }
    } finally {
      await fault.close();
    }
  });
});

describe('9.7: strings from an identity provider reach the terminal escaped; malformed tokens are refused', () => {
  it('escapes control characters in an error description (clear-screen, OSC 52)', async () => {
    const hostile = 'denied \u001b[2J\u001b]52;c;ZXZpbA==\u0007 \u202eevil';
    const fault = await startFaultServer([
      {
        kind: 'status',
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'invalid_client', error_description: hostile }),
      },
    ]);
    try {
      const cwd = makeWorkdir('mcpgw-i9-');
      const result = await runInProcess(['--ingress-only'], { cwd, env: keycloak(fault.url) });
      expect(result.code).toBe(3);
      const controls = Array.from(result.stderr).filter((c) => (c < ' ' && c !== '\n') || c === '\u007f' || c === '\u202e');
      expect(controls).toEqual([]);
      expect(result.stderr).toContain('denied \\x1b[2J\\x1b]52;c;ZXZpbA==\\x07 \\u202eevil');
    } finally {
      await fault.close();
    }
  });

  it.each([
    [
      'an access token with a newline',
      { access_token: 'abc\ndef', token_type: 'Bearer', expires_in: 300 },
      'an access token with characters a token may not hold',
    ],
    ['a token_type with a space', { access_token: 'abcdef', token_type: 'Bearer x', expires_in: 300 }, 'not a valid OAuth token response'],
  ])('refuses %s (exit 4), and writes nothing', async (_, answer, message) => {
    const fault = await startFaultServer([{ kind: 'status', status: 200, contentType: 'application/json', body: JSON.stringify(answer) }]);
    try {
      const cwd = makeWorkdir('mcpgw-i9-');
      const result = await runInProcess(['--ingress-only'], { cwd, env: keycloak(fault.url) });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(message);
      expect(existsSync(path.join(cwd, '.oauth-tokens', 'ingress.json'))).toBe(false);
    } finally {
      await fault.close();
    }
  });
});

describe('9.8: out-of-range values are malformed answers (exit 4), not crashes', () => {
  const jwt = (payload: object): string =>
    ['{"alg":"none"}', JSON.stringify(payload), 'sig'].map((part, i) => (i < 2 ? Buffer.from(part).toString('base64url') : part)).join('.');
  it.each([
    ['expires_in: 1e20', { access_token: 'abcdef', token_type: 'Bearer', expires_in: 1e20 }, 'which is not a lifetime'],
    ['a JWT exp of 1e15', { access_token: jwt({ exp: 1e15 }), token_type: 'Bearer' }, 'is not a usable expiry'],
    ['token_type MAC', { access_token: 'abcdef', token_type: 'MAC', expires_in: 300 }, 'not a valid OAuth token response'],
  ])('%s', async (_, answer, message) => {
    const fault = await startFaultServer([{ kind: 'status', status: 200, contentType: 'application/json', body: JSON.stringify(answer) }]);
    try {
      const cwd = makeWorkdir('mcpgw-i9-');
      const result = await runInProcess(['--ingress-only'], { cwd, env: keycloak(fault.url) });
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain('bug');
    } finally {
      await fault.close();
    }
  });
});

describe('9.9: *.localhost never goes to DNS', () => {
  it('reaches 127.0.0.1 for http://idp.localhost without asking a resolver (which here knows no such name)', async () => {
    const cwd = makeWorkdir('mcpgw-i9-');
    const before = idp.tokenRequests().length;
    const result = await runInProcess(['--ingress-only'], { cwd, env: keycloak(`http://idp.localhost:${idp.port}`) });
    expect(result.code, result.stderr).toBe(0);
    expect(idp.tokenRequests().length).toBe(before + 1);
  });
});

describe('9.10: a provider file may not set framing or credential headers', () => {
  it.each(['Content-Length', 'Host', 'Authorization', 'transfer-encoding'])(
    '%s is a configuration error naming the file and field',
    async (header) => {
      const cwd = makeWorkdir('mcpgw-i9-');
      mkdirSync(path.join(cwd, 'providers'));
      const file = path.join(cwd, 'providers', 'hostile.yaml');
      writeFileSync(
        file,
        `auth_url: https://idp.example.com/auth\ntoken_url: https://idp.example.com/token\ntoken_headers:\n  ${header}: "5"\n`,
      );
      const result = await runInProcess(['--egress-only'], {
        cwd,
        env: {
          MCPGW_PROVIDERS_DIR: 'providers',
          EGRESS_PROVIDER_NAME_1: 'hostile',
          EGRESS_OAUTH_CLIENT_ID_1: 'x',
          EGRESS_OAUTH_REDIRECT_URI_1: 'http://127.0.0.1:9/cb',
        },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${file}: field "token_headers": may not set ${header}`);
    },
  );
});

describe('9.4: a stop request aborts a watcher round in flight', () => {
  it('exits within a few seconds of SIGTERM while the identity provider hangs', async () => {
    const fault = await startFaultServer([{ kind: 'hang' }]);
    try {
      const cwd = makeWorkdir('mcpgw-i9-');
      const watcher = startCli(['refresh', '--watch'], {
        cwd,
        env: { ...keycloak(fault.url), MCPGW_HTTP_TIMEOUT: '120' },
        timeoutMs: 30_000,
      });
      await watcher.waitForStderr(/watching /);
      const deadline = Date.now() + 10_000;
      while (fault.hits === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fault.hits).toBe(1);
      const sent = Date.now();
      watcher.child.kill('SIGTERM');
      const result = await watcher.done;
      expect(Date.now() - sent).toBeLessThan(5_000);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/SIGTERM: stopping\n.*stopped\n$/);
    } finally {
      await fault.close();
    }
  });
});

describe('9.5: the keycloak admin commands follow the transport rules (timeout, 1 MB cap, OAuth errors)', () => {
  const admin = (url: string): Record<string, string> => ({
    KEYCLOAK_URL: url,
    KEYCLOAK_ADMIN: 'admin',
    KEYCLOAK_ADMIN_PASSWORD: 'admin-password-0123',
    MCPGW_HTTP_TIMEOUT: '2',
  });
  // The admin client calls the global fetch, which the command points at mcpgw-creds' own transport.
  const ownFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = ownFetch;
  });
  const json = (status: number, body: unknown) => ({
    kind: 'status' as const,
    status,
    contentType: 'application/json',
    body: JSON.stringify(body),
  });

  it.each([
    ['a hanging admin API → exit 4 on time', [{ kind: 'hang' as const }], 4, 'did not answer within 2 s'],
    [
      'a 400 from the admin token endpoint → exit 3 with its error',
      [json(400, { error: 'unauthorized_client', error_description: 'Client not allowed for direct access grants' })],
      3,
      'unauthorized_client: Client not allowed for direct access grants',
    ],
    ['a 2 MB answer → exit 4, not read whole', [json(200, { access_token: 'x'.repeat(2_000_000) })], 4, 'more than 1 MB'],
    [
      'an answer of the wrong shape → exit 4',
      [json(200, { access_token: 'abc', token_type: 'Bearer', expires_in: 60, refresh_token: 'r' }), json(200, {})],
      4,
      "answered something Keycloak's admin API does not",
    ],
  ])('%s', async (_, script, code, message) => {
    const fault = await startFaultServer(script);
    try {
      const cwd = makeWorkdir('mcpgw-i9-');
      const started = Date.now();
      const result = await runInProcess(['keycloak', 'list-agents'], { cwd, env: admin(fault.url) });
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain('bug');
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await fault.close();
    }
  });
});
