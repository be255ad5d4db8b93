import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/run-cli.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort, startFaultServer } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'fault-test-secret-77aa88bb';
let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
});
afterAll(() => idp.close());

function env(keycloakUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_PROVIDER: 'keycloak',
    KEYCLOAK_URL: keycloakUrl,
    KEYCLOAK_M2M_CLIENT_ID: 'm2m',
    KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    ...extra,
  };
}

describe('an identity provider that fails', () => {
  it('exits 4 when nothing listens, after a bounded number of attempts', async () => {
    const port = await closedPort();
    const result = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: env(`http://127.0.0.1:${port}`) });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('connection was refused');
    expect(result.stderr).toContain('KEYCLOAK_URL');
    expect(result.ms).toBeLessThan(10_000);
    expectNoSecrets(result, [SECRET]);
  });

  it('exits 4 on a 500 with an HTML page, after 3 attempts in all', async () => {
    const fault = await startFaultServer([{ kind: 'status', status: 500, body: '<html><body>Internal error</body></html>' }]);
    try {
      const result = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: env(fault.url) });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('HTTP 500');
      expect(result.stderr).toContain('not an OAuth response');
      expect(result.stderr).not.toContain('<html>');
      expect(fault.hits).toBe(3);
    } finally {
      await fault.close();
    }
  });

  it('exits 4 within the timeout when the server accepts and never answers', async () => {
    const fault = await startFaultServer([{ kind: 'hang' }]);
    try {
      const cwd = makeWorkdir();
      const result = await runCli(['--ingress-only'], { cwd, env: env(fault.url, { MCPGW_HTTP_TIMEOUT: '1.5' }), timeoutMs: 20_000 });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('did not answer within 1.5 s');
      expect(result.ms).toBeGreaterThanOrEqual(1_400);
      expect(result.ms).toBeLessThan(8_000);
      expect(fault.hits).toBe(1);
      expect(existsSync(path.join(cwd, '.oauth-tokens', 'ingress.json'))).toBe(false);
    } finally {
      await fault.close();
    }
  });

  it('exits 4 on a 200 that is not JSON', async () => {
    const fault = await startFaultServer([{ kind: 'status', status: 200, body: 'hello', contentType: 'text/plain' }]);
    try {
      const result = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: env(fault.url) });
      expect(result.code).toBe(4);
      expect(fault.hits).toBe(1);
    } finally {
      await fault.close();
    }
  });

  it('retries a reset connection and a 503, then succeeds', async () => {
    const target = idp.baseUrl;
    const fault = await startFaultServer([{ kind: 'reset' }, { kind: 'status', status: 503, body: 'busy' }, { kind: 'proxy', target }]);
    try {
      const cwd = makeWorkdir();
      const result = await runCli(['--ingress-only'], { cwd, env: env(fault.url) });
      expect(result.stderr).toContain('ingress');
      expect(result.code).toBe(0);
      expect(fault.hits).toBe(3);
      expect(readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).access_token).toBeTruthy();
    } finally {
      await fault.close();
    }
  });

  it('honours Retry-After on a 429', async () => {
    const fault = await startFaultServer([
      { kind: 'status', status: 429, body: 'slow down', headers: { 'retry-after': '2' } },
      { kind: 'proxy', target: idp.baseUrl },
    ]);
    try {
      const result = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: env(fault.url) });
      expect(result.code).toBe(0);
      expect(fault.hits).toBe(2);
      expect(result.ms).toBeGreaterThanOrEqual(2_000);
    } finally {
      await fault.close();
    }
  });

  it('gives up at once when Retry-After is longer than it will wait', async () => {
    const fault = await startFaultServer([{ kind: 'status', status: 429, body: 'later', headers: { 'retry-after': '3600' } }]);
    try {
      const result = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: env(fault.url) });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('HTTP 429');
      expect(fault.hits).toBe(1);
    } finally {
      await fault.close();
    }
  });
});

describe('configuration checked before any request', () => {
  it('exits 2 naming a missing variable, with zero requests', async () => {
    const before = idp.requests.length;
    const result = await runCli(['--ingress-only'], {
      cwd: makeWorkdir(),
      env: { AUTH_PROVIDER: 'keycloak', KEYCLOAK_URL: idp.baseUrl, KEYCLOAK_M2M_CLIENT_ID: 'm2m' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('KEYCLOAK_M2M_CLIENT_SECRET is not set');
    expect(idp.requests.length).toBe(before);
  });

  it('lists every problem at once', async () => {
    const result = await runCli(['--ingress-only'], {
      cwd: makeWorkdir(),
      env: { AUTH_PROVIDER: 'keycloak', KEYCLOAK_URL: 'not a url', EGRESS_PROVIDER_NAME_1: 'atlassian' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('KEYCLOAK_URL is not a URL');
    expect(result.stderr).toContain('KEYCLOAK_M2M_CLIENT_ID is not set');
    expect(result.stderr).toContain('KEYCLOAK_M2M_CLIENT_SECRET is not set');
    // --ingress-only: the egress sets are not this run's business.
    expect(result.stderr).not.toContain('EGRESS_OAUTH_CLIENT_ID_1');
  });

  it('exits 2 for --ingress-only without AUTH_PROVIDER, and for an unknown AUTH_PROVIDER', async () => {
    const none = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: {} });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('AUTH_PROVIDER');
    expect(none.stderr).toContain('set it to keycloak, cognito, entra, okta, auth0, pingfederate, oidc');
    const wrong = await runCli([], { cwd: makeWorkdir(), env: { AUTH_PROVIDER: 'ping' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('AUTH_PROVIDER is "ping": set it to keycloak, cognito, entra, okta, auth0, pingfederate, oidc');
  });

  it('refuses plain http:// to a non-loopback host unless MCPGW_ALLOW_INSECURE_HTTP=1, which warns', async () => {
    const before = idp.requests.length;
    const refused = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: env(`http://0.0.0.0:${idp.port}`) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('MCPGW_ALLOW_INSECURE_HTTP');
    expect(idp.requests.length).toBe(before);

    // 0.0.0.0 is not a loopback name, yet on Linux it reaches 127.0.0.1, where the provider listens.
    const allowed = await runCli(['--ingress-only'], {
      cwd: makeWorkdir(),
      env: env(`http://0.0.0.0:${idp.port}`, { MCPGW_ALLOW_INSECURE_HTTP: '1' }),
    });
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('warning: KEYCLOAK_URL uses plain http://');
  });

  it('with --json, still prints one JSON object when the configuration is wrong', async () => {
    const result = await runCli(['--ingress-only', '--json'], { cwd: makeWorkdir(), env: { AUTH_PROVIDER: 'keycloak' } });
    expect(result.code).toBe(2);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ ok: false, exit_code: 2, error: { code: 'config' } });
  });
});
