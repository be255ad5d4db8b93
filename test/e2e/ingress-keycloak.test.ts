import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/run-cli.js';
import { aged, jwtClaims, makeWorkdir, modeOf, readJson, writeEnvFile } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'kc-m2m-secret-9f8e7d6c5b4a';
let idp: LocalIdp;
let shortIdp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ['mcp-gateway', 'mcp-admin'],
    clients: [{ clientId: 'mcp-gateway-m2m', clientSecret: SECRET, groups: ['mcp-servers-unrestricted'], scope: 'openid mcp-gateway' }],
  });
  // Tokens that live 200 s: inside the 5-minute reuse margin from the start.
  shortIdp = await startLocalIdp({
    shape: 'keycloak',
    accessTokenTtl: 200,
    clients: [{ clientId: 'mcp-gateway-m2m', clientSecret: SECRET }],
  });
});
afterAll(async () => {
  await idp.close();
  await shortIdp.close();
});

function keycloakEnv(server: LocalIdp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_PROVIDER: 'keycloak',
    KEYCLOAK_URL: server.baseUrl,
    KEYCLOAK_M2M_CLIENT_ID: 'mcp-gateway-m2m',
    KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    REGISTRY_URL: 'https://gateway.example.com',
    ...extra,
  };
}

describe('ingress from a Keycloak-shaped provider', () => {
  it('writes ingress.json with exactly the documented fields, mode 600 in a 700 directory', async () => {
    const cwd = makeWorkdir();
    const before = idp.tokenRequests().length;
    const result = await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp) });
    expect(result.stderr).toContain('ingress');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(idp.tokenRequests().length - before).toBe(1);

    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    const record = readJson(file);
    expect(Object.keys(record).sort()).toEqual(
      [
        'access_token',
        'client_id',
        'expires_at',
        'expires_at_human',
        'keycloak_url',
        'provider',
        'realm',
        'saved_at',
        'token_type',
        'token_url',
      ].sort(),
    );
    expect(record.provider).toBe('keycloak_m2m');
    expect(record.client_id).toBe('mcp-gateway-m2m');
    expect(record.keycloak_url).toBe(idp.baseUrl);
    expect(record.realm).toBe('mcp-gateway');
    expect(record.token_type).toBe('Bearer');
    expect(record.expires_at - record.saved_at).toBe(3600);
    expect(record.expires_at_human).toBe(new Date(record.expires_at * 1000).toISOString().replace('.000Z', 'Z'));
    expect(Math.abs(record.saved_at - Date.now() / 1000)).toBeLessThan(30);
    expect(jwtClaims(record.access_token).groups).toEqual(['mcp-servers-unrestricted']);
    expect(jwtClaims(record.access_token).iss).toBe(`${idp.baseUrl}/realms/mcp-gateway`);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(path.join(cwd, '.oauth-tokens'))).toBe(0o700);
    expectNoSecrets(result, [SECRET, record.access_token]);
  });

  it('reuses a valid cached token with zero token requests, and --force requests a new one', async () => {
    const cwd = makeWorkdir();
    const first = await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp) });
    expect(first.code).toBe(0);
    const token = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).access_token as string;

    const before = idp.tokenRequests().length;
    const cached = await runCli(['--ingress-only', '--json'], { cwd, env: keycloakEnv(idp) });
    expect(cached.code).toBe(0);
    expect(idp.tokenRequests().length).toBe(before);
    const summary = JSON.parse(cached.stdout);
    expect(summary.steps[0]).toMatchObject({ step: 'ingress', status: 'cached' });
    expect(readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).access_token).toBe(token);

    const forced = await runCli(['--ingress-only', '--force', '--json'], { cwd, env: keycloakEnv(idp) });
    expect(forced.code).toBe(0);
    expect(idp.tokenRequests().length).toBe(before + 1);
    expect(JSON.parse(forced.stdout).steps[0]).toMatchObject({ step: 'ingress', status: 'ok' });
    const renewed = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).access_token as string;
    expect(renewed).not.toBe(token);
    expectNoSecrets(cached, [SECRET, token]);
    expectNoSecrets(forced, [SECRET, token, renewed]);
  });

  it('reuses a token shorter than 5 minutes until half its life is over, then renews it', async () => {
    // 200 s tokens: renewed when less than min(300 s, 100 s) is left, not on every run.
    const cwd = makeWorkdir();
    expect((await runCli(['--ingress-only'], { cwd, env: keycloakEnv(shortIdp) })).code).toBe(0);
    const before = shortIdp.tokenRequests().length;
    const reused = await runCli(['--ingress-only', '--json'], { cwd, env: keycloakEnv(shortIdp) });
    expect(reused.code).toBe(0);
    expect(JSON.parse(reused.stdout).steps[0].status).toBe('cached');
    expect(shortIdp.tokenRequests().length).toBe(before);

    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    writeFileSync(file, JSON.stringify(aged(readJson(file), 90)), { mode: 0o600 });
    const again = await runCli(['--ingress-only', '--json'], { cwd, env: keycloakEnv(shortIdp) });
    expect(again.code).toBe(0);
    expect(shortIdp.tokenRequests().length).toBe(before + 1);
    expect(JSON.parse(again.stdout).steps[0].status).toBe('ok');
  });

  it('does not reuse a token issued to another client id', async () => {
    const cwd = makeWorkdir();
    expect((await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp) })).code).toBe(0);
    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    const record = readJson(file);
    writeFileSync(file, JSON.stringify({ ...record, client_id: 'someone-else' }), { mode: 0o600 });
    const before = idp.tokenRequests().length;
    expect((await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp) })).code).toBe(0);
    expect(idp.tokenRequests().length).toBe(before + 1);
    expect(readJson(file).client_id).toBe('mcp-gateway-m2m');
  });

  it("exits 3 with the provider's error and a hint on a wrong secret, and prints neither secret", async () => {
    const cwd = makeWorkdir();
    const wrong = 'wrong-secret-0123456789';
    const result = await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp, { KEYCLOAK_M2M_CLIENT_SECRET: wrong }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid_client');
    expect(result.stderr).toContain('client authentication failed');
    expect(result.stderr).toContain('KEYCLOAK_M2M_CLIENT_SECRET');
    expect(existsSync(path.join(cwd, '.oauth-tokens', 'ingress.json'))).toBe(false);
    expectNoSecrets(result, [wrong, SECRET]);
  });

  it('takes .env values, but never over the process environment', async () => {
    const cwd = makeWorkdir();
    writeEnvFile(path.join(cwd, '.env'), {
      ...keycloakEnv(idp),
      KEYCLOAK_M2M_CLIENT_SECRET: 'stale-secret-from-dotenv',
      KEYCLOAK_REALM: 'mcp-gateway',
    });
    // The environment's secret is right and wins; the rest comes from .env.
    const result = await runCli(['--ingress-only'], { cwd, env: { KEYCLOAK_M2M_CLIENT_SECRET: SECRET } });
    expect(result.code).toBe(0);
    expect(readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).client_id).toBe('mcp-gateway-m2m');

    // And with only .env, its (wrong) secret is what is sent.
    const alone = await runCli(['--ingress-only', '--force'], { cwd, env: {} });
    expect(alone.code).toBe(3);
    expectNoSecrets(alone, ['stale-secret-from-dotenv', SECRET]);
  });

  it('reads --env-file files instead of ./.env, later files winning', async () => {
    const cwd = makeWorkdir();
    writeEnvFile(path.join(cwd, '.env'), { AUTH_PROVIDER: 'cognito' });
    writeEnvFile(path.join(cwd, 'base.env'), { ...keycloakEnv(idp), KEYCLOAK_M2M_CLIENT_SECRET: 'overridden-later-000' });
    writeEnvFile(path.join(cwd, 'secret.env'), { KEYCLOAK_M2M_CLIENT_SECRET: SECRET });
    const result = await runCli(['--ingress-only', '--env-file', 'base.env', '--env-file', 'secret.env'], { cwd, env: {} });
    expect(result.code).toBe(0);
    expect(readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).provider).toBe('keycloak_m2m');

    const missing = await runCli(['--ingress-only', '--env-file', 'nope.env'], { cwd, env: {} });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.env');
  });

  it('honours --tokens-dir and MCPGW_TOKENS_DIR', async () => {
    const cwd = makeWorkdir();
    expect(
      (await runCli(['--ingress-only', '--tokens-dir', 'flag-dir'], { cwd, env: keycloakEnv(idp, { MCPGW_TOKENS_DIR: 'env-dir' }) })).code,
    ).toBe(0);
    expect(existsSync(path.join(cwd, 'flag-dir', 'ingress.json'))).toBe(true);
    expect((await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp, { MCPGW_TOKENS_DIR: 'env-dir' }) })).code).toBe(0);
    expect(existsSync(path.join(cwd, 'env-dir', 'ingress.json'))).toBe(true);
    expect(existsSync(path.join(cwd, '.oauth-tokens'))).toBe(false);
  });

  it('requests KEYCLOAK_M2M_SCOPE and reuses the token only while it covers those scopes', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp, { KEYCLOAK_M2M_SCOPE: 'mcp-gateway' }) });
    expect(result.code).toBe(0);
    const record = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json'));
    expect(record.scope).toBe('mcp-gateway');
    expect(jwtClaims(record.access_token).scope).toBe('mcp-gateway');
    const before = idp.tokenRequests().length;
    expect((await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp, { KEYCLOAK_M2M_SCOPE: 'mcp-gateway' }) })).code).toBe(0);
    expect(idp.tokenRequests().length).toBe(before);
  });

  it('exits 3 with invalid_scope for a scope the client may not have', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['--ingress-only'], { cwd, env: keycloakEnv(idp, { KEYCLOAK_M2M_SCOPE: 'mcp-admin' }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid_scope');
    expect(result.stderr).toContain('KEYCLOAK_M2M_SCOPE');
  });
});
