import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, TestClock } from '../helpers/in-process.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'inproc-fresh-secret-01234567';
let idp: LocalIdp;

beforeAll(async () => {
  // Keycloak's default: 5-minute tokens.
  idp = await startLocalIdp({
    shape: 'keycloak',
    accessTokenTtl: 300,
    clients: [{ clientId: 'm2m', clientSecret: SECRET, groups: ['g'] }],
  });
});
afterAll(() => idp.close());

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_PROVIDER: 'keycloak',
    KEYCLOAK_URL: idp.baseUrl,
    KEYCLOAK_M2M_CLIENT_ID: 'm2m',
    KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    ...extra,
  };
}

const bearerIn = (file: string): string => readJson(file).mcpServers.mcpgw.headers['X-Authorization'] as string;

describe('fresh credentials for token and headers (300 s tokens)', () => {
  it('10 headers calls over 200 s make one token request, and mcp.json holds the token headers returned', async () => {
    const cwd = makeWorkdir('mcpgw-inproc-');
    const clock = new TestClock();
    const withGateway = env({ REGISTRY_URL: 'https://gateway.example.com' });
    expect((await runInProcess(['--ingress-only'], { cwd, env: withGateway, clock })).code).toBe(0);
    const mcpJson = path.join(cwd, '.oauth-tokens', 'mcp.json');
    const before = idp.tokenRequests().length;
    const seen = new Set<string>();
    for (let call = 1; call <= 10; call++) {
      clock.advance(20);
      const result = await runInProcess(['headers', '--server', 'mcpgw'], { cwd, env: withGateway, clock, stdoutMayHoldSecrets: true });
      expect(result.code, result.stderr).toBe(0);
      const headers = JSON.parse(result.stdout) as Record<string, string>;
      seen.add(headers['X-Authorization'] as string);
      expect(bearerIn(mcpJson)).toBe(headers['X-Authorization']);
    }
    // Renewed once, when half the token's life had gone (at 160 s), not on each call.
    expect(idp.tokenRequests().length - before).toBe(1);
    expect(seen.size).toBe(2);
  });

  it('token renews a due token and re-renders the configurations that exist', async () => {
    const cwd = makeWorkdir('mcpgw-inproc-');
    const clock = new TestClock();
    const withGateway = env({ REGISTRY_URL: 'https://gateway.example.com' });
    expect((await runInProcess(['--ingress-only'], { cwd, env: withGateway, clock })).code).toBe(0);
    const dir = path.join(cwd, '.oauth-tokens');
    const first = readJson(path.join(dir, 'ingress.json')).access_token as string;

    clock.advance(100);
    const fresh = await runInProcess(['token'], { cwd, env: withGateway, clock, stdoutMayHoldSecrets: true });
    expect(fresh.stdout).toBe(`${first}\n`);

    clock.advance(60);
    const renewed = await runInProcess(['token'], { cwd, env: withGateway, clock, stdoutMayHoldSecrets: true });
    expect(renewed.code).toBe(0);
    const second = renewed.stdout.trim();
    expect(second).not.toBe(first);
    expect(bearerIn(path.join(dir, 'mcp.json'))).toBe(`Bearer ${second}`);
    expect(readJson(path.join(dir, 'vscode_mcp.json')).mcp.servers.mcpgw.headers['X-Authorization']).toBe(`Bearer ${second}`);
  });

  it('re-renders quietly: stderr stays empty even when the render would warn of another expired token', async () => {
    const cwd = makeWorkdir('mcpgw-inproc-');
    const clock = new TestClock();
    const withGateway = env({ REGISTRY_URL: 'https://gateway.example.com' });
    expect((await runInProcess(['--ingress-only'], { cwd, env: withGateway, clock })).code).toBe(0);
    const expired = { provider: 'github', server: 'gh', client_id: 'x', access_token: 'old-github-token-0123456789', token_type: 'Bearer' };
    const at = Math.floor(clock.now() / 1000);
    writeFileSync(
      path.join(cwd, '.oauth-tokens', 'github-gh-egress.json'),
      JSON.stringify({ ...expired, saved_at: at - 7200, expires_at: at - 3600, expires_at_human: '' }),
      { mode: 0o600 },
    );
    clock.advance(200);
    const renewed = await runInProcess(['token'], { cwd, env: withGateway, clock, stdoutMayHoldSecrets: true });
    expect(renewed.code).toBe(0);
    expect(renewed.stderr).toBe('');
    expect(bearerIn(path.join(cwd, '.oauth-tokens', 'mcp.json'))).toBe(`Bearer ${renewed.stdout.trim()}`);
  });

  it('renews without rendering anything where nothing was rendered before', async () => {
    const cwd = makeWorkdir('mcpgw-inproc-');
    const clock = new TestClock();
    expect((await runInProcess(['--ingress-only'], { cwd, env: env(), clock })).code).toBe(0);
    clock.advance(200);
    const renewed = await runInProcess(['token'], {
      cwd,
      env: env({ REGISTRY_URL: 'https://gateway.example.com' }),
      clock,
      stdoutMayHoldSecrets: true,
    });
    expect(renewed.code).toBe(0);
    expect(existsSync(path.join(cwd, '.oauth-tokens', 'mcp.json'))).toBe(false);
  });

  it("fails with the identity provider's refusal, and exit 3, when the due token cannot be renewed", async () => {
    const cwd = makeWorkdir('mcpgw-inproc-');
    const clock = new TestClock();
    expect((await runInProcess(['--ingress-only'], { cwd, env: env(), clock })).code).toBe(0);
    clock.advance(200);
    const refused = await runInProcess(['headers', '--server', 'mcpgw'], {
      cwd,
      env: env({ KEYCLOAK_M2M_CLIENT_SECRET: 'a-wrong-secret-7654321' }),
      clock,
    });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('invalid_client');
  });
});
