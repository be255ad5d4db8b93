import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachToCliChromium, cliBrowserEnv, launchChromium, requireChromium, stopCliChromium } from '../drivers/chromium.js';
import { clientKeyPair, keyMaterial } from '../helpers/client-keys.js';
import { REPO, runCli, startCli } from '../helpers/run-cli.js';
import { aged, makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startGateway } from '../servers/gateway.js';
import { startKeycloak, type RunningKeycloak } from '../servers/keycloak.js';

/** The secrets of test/keycloak/mcp-gateway-realm.json. */
const M2M_SECRET = 'test-m2m-secret-not-for-production';
const DISABLED_SECRET = 'test-disabled-secret-not-for-production';
const ALICE = { username: 'alice', password: 'alice-test-password' };

let keycloak: RunningKeycloak;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  requireChromium();
  keycloak = await startKeycloak();
  process.stdout.write(`Keycloak started in ${(keycloak.startMs / 1000).toFixed(1)} s\n`);
  jwks = createRemoteJWKSet(new URL(`${keycloak.issuer}/protocol/openid-connect/certs`));
}, 240_000);
afterAll(async () => {
  await keycloak?.stop();
});

const ingressEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  AUTH_PROVIDER: 'keycloak',
  KEYCLOAK_URL: keycloak.baseUrl,
  KEYCLOAK_M2M_CLIENT_ID: 'mcp-gateway-m2m',
  KEYCLOAK_M2M_CLIENT_SECRET: M2M_SECRET,
  ...extra,
});
const adminEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  KEYCLOAK_URL: keycloak.baseUrl,
  KEYCLOAK_ADMIN: keycloak.admin.username,
  KEYCLOAK_ADMIN_PASSWORD: keycloak.admin.password,
  ...extra,
});
const egressEnv = (port: number): Record<string, string> => ({
  EGRESS_PROVIDER_NAME_1: 'keycloak',
  EGRESS_OAUTH_CLIENT_ID_1: 'mcp-egress-public',
  EGRESS_OAUTH_REDIRECT_URI_1: `http://127.0.0.1:${port}/callback`,
  EGRESS_KEYCLOAK_URL_1: keycloak.baseUrl,
  REGISTRY_URL: 'https://gateway.example.com',
});

async function verified(token: string): Promise<Record<string, unknown>> {
  return (await jwtVerify(token, jwks, { issuer: keycloak.issuer })).payload;
}

describe('ingress against a real Keycloak', () => {
  it("gives a token that verifies against the realm's JWKS and carries the service account's groups", async () => {
    const cwd = makeWorkdir('mcpgw-kc-');
    const result = await runCli(['--ingress-only'], { cwd, env: ingressEnv() });
    expect(result.code).toBe(0);
    const record = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json'));
    expect(record).toMatchObject({
      provider: 'keycloak_m2m',
      client_id: 'mcp-gateway-m2m',
      keycloak_url: keycloak.baseUrl,
      realm: 'mcp-gateway',
    });
    const claims = await verified(record.access_token);
    expect(claims.groups).toEqual(['mcp-servers-unrestricted']);
    expect(claims.azp).toBe('mcp-gateway-m2m');
    // The realm's 900 s, less the second Keycloak may count between issuing and answering under load.
    expect(record.expires_at - record.saved_at).toBeGreaterThanOrEqual(895);
    expect(record.expires_at - record.saved_at).toBeLessThanOrEqual(900);
  });

  it('logout --all revokes the ingress token at Keycloak (introspection then says inactive)', async () => {
    const cwd = makeWorkdir('mcpgw-kc-logout-');
    expect((await runCli(['--ingress-only'], { cwd, env: ingressEnv() })).code).toBe(0);
    const token = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).access_token as string;
    const introspect = async (): Promise<boolean> => {
      const response = await fetch(`${keycloak.issuer}/protocol/openid-connect/token/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: 'mcp-gateway-m2m', client_secret: M2M_SECRET }),
      });
      return ((await response.json()) as { active: boolean }).active;
    };
    expect(await introspect()).toBe(true);
    const out = await runCli(['logout', '--all', '--json'], { cwd, env: ingressEnv() });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).steps[0]).toMatchObject({ step: 'logout', status: 'ok', reason: 'revoked at the provider and deleted' });
    expect(await introspect()).toBe(false);
    expect(existsSync(path.join(cwd, '.oauth-tokens', 'ingress.json'))).toBe(false);
  });

  it("exits 3 with Keycloak's error on a wrong secret and on a disabled client", async () => {
    const wrong = await runCli(['--ingress-only'], {
      cwd: makeWorkdir(),
      env: ingressEnv({ KEYCLOAK_M2M_CLIENT_SECRET: 'not-the-real-secret-1234' }),
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/(invalid_client|unauthorized_client): Invalid client or Invalid client credentials/);
    const disabled = await runCli(['--ingress-only'], {
      cwd: makeWorkdir(),
      env: ingressEnv({ KEYCLOAK_M2M_CLIENT_ID: 'mcp-disabled-m2m', KEYCLOAK_M2M_CLIENT_SECRET: DISABLED_SECRET }),
    });
    expect(disabled.code).toBe(3);
    expect(disabled.stderr).toMatch(/(invalid_client|unauthorized_client): /);
  });
});

/** The admin API of the test realm, signed in as Keycloak's admin. */
async function realmAdmin(): Promise<import('@keycloak/keycloak-admin-client').default> {
  const { default: AdminClient } = await import('@keycloak/keycloak-admin-client');
  const admin = new AdminClient({ baseUrl: keycloak.baseUrl, realmName: 'master' });
  await admin.auth({ grantType: 'password', clientId: 'admin-cli', ...keycloak.admin });
  admin.setConfig({ realmName: 'mcp-gateway' });
  return admin;
}

/** Puts a client's service account into a group of the realm. */
async function joinGroup(admin: import('@keycloak/keycloak-admin-client').default, clientUuid: string, group: string): Promise<void> {
  const user = await admin.clients.getServiceAccountUser({ id: clientUuid });
  const [found] = await admin.groups.find({ search: group, exact: true });
  await admin.users.addToGroup({ id: user.id as string, groupId: found?.id as string });
}

/**
 * A client that authenticates with a signed JWT ("Signed JWT" in Keycloak's console) and no secret:
 * its public key registered as a JWKS, its service account in a group, groups mapped into tokens.
 */
async function createSignedJwtClient(clientId: string, publicJwk: Record<string, unknown>, group: string): Promise<void> {
  const admin = await realmAdmin();
  const { id } = await admin.clients.create({
    clientId,
    enabled: true,
    publicClient: false,
    clientAuthenticatorType: 'client-jwt',
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: false,
    attributes: { 'use.jwks.url': 'false', 'use.jwks.string': 'true', 'jwks.string': JSON.stringify({ keys: [publicJwk] }) },
    defaultClientScopes: ['basic', 'roles'],
    protocolMappers: [
      {
        name: 'groups',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-group-membership-mapper',
        config: { 'claim.name': 'groups', 'full.path': 'false', 'access.token.claim': 'true' },
      },
    ],
  });
  await joinGroup(admin, id, group);
}

describe('private_key_jwt against a real Keycloak (no client secret anywhere)', () => {
  it('ingress signs its assertion with INGRESS_PRIVATE_KEY_FILE; Keycloak verifies it against the registered key', async () => {
    const cwd = makeWorkdir('mcpgw-kc-jwt-');
    const key = clientKeyPair(cwd, { kind: 'rsa', kid: 'kc-signed-1' });
    await createSignedJwtClient('mcp-gateway-signed', key.publicJwk, 'mcp-servers-restricted');
    const env = {
      AUTH_PROVIDER: 'keycloak',
      KEYCLOAK_URL: keycloak.baseUrl,
      KEYCLOAK_M2M_CLIENT_ID: 'mcp-gateway-signed',
      INGRESS_CLIENT_AUTH: 'private_key_jwt',
      INGRESS_PRIVATE_KEY_FILE: key.file,
      INGRESS_KEY_ID: key.kid,
    };
    expect(Object.keys(env).some((name) => /SECRET/.test(name))).toBe(false);
    const result = await runCli(['--ingress-only', '--verbose'], { cwd, env, secrets: keyMaterial(key.file) });
    expect(result.code, result.stderr).toBe(0);
    const record = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json'));
    expect(record).toMatchObject({ provider: 'keycloak_m2m', client_id: 'mcp-gateway-signed' });
    const claims = await verified(record.access_token);
    expect(claims.azp).toBe('mcp-gateway-signed');
    expect(claims.groups).toEqual(['mcp-servers-restricted']);

    // Another key under the same kid: Keycloak refuses the assertion (exit 3, its words).
    const stranger = clientKeyPair(makeWorkdir('mcpgw-kc-jwt-'), { kind: 'rsa', kid: 'kc-signed-1' });
    const refused = await runCli(['--ingress-only'], {
      cwd: makeWorkdir('mcpgw-kc-jwt-'),
      env: { ...env, INGRESS_PRIVATE_KEY_FILE: stranger.file },
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/(invalid_client|unauthorized_client): /);
    expect(refused.stderr).toContain('INGRESS_PRIVATE_KEY_FILE');
  });

  it('an agent file with private_key_file (an EC key, ES256) gets its token the same way', async () => {
    const cwd = makeWorkdir('mcpgw-kc-jwt-');
    const dir = path.join(cwd, '.oauth-tokens');
    mkdirSync(dir, { mode: 0o700 });
    const key = clientKeyPair(dir, { kind: 'ec', kid: 'agent-ec-1' });
    await createSignedJwtClient('agent-signed-bot', key.publicJwk, 'mcp-servers-unrestricted');
    writeFileSync(
      path.join(dir, 'agent-signed-bot.json'),
      JSON.stringify({ client_id: 'agent-signed-bot', private_key_file: path.basename(key.file), key_id: key.kid }),
      { mode: 0o600 },
    );
    const result = await runCli(['--agents-only'], { cwd, env: { KEYCLOAK_URL: keycloak.baseUrl }, secrets: keyMaterial(key.file) });
    expect(result.code, result.stderr).toBe(0);
    const record = readJson(path.join(dir, 'agent-signed-bot-token.json'));
    expect(record).toMatchObject({ provider: 'keycloak_m2m', agent_id: 'signed-bot', client_id: 'agent-signed-bot' });
    expect((await verified(record.access_token)).groups).toEqual(['mcp-servers-unrestricted']);
  });
});

const UNMAPPED_SECRET = 'test-unmapped-secret-not-for-production';

/** A confidential client as people often create one by hand: a service account in a group, no groups mapper. */
async function createClientWithoutGroupsMapper(clientId: string, group: string): Promise<void> {
  const admin = await realmAdmin();
  const { id } = await admin.clients.create({
    clientId,
    enabled: true,
    publicClient: false,
    secret: UNMAPPED_SECRET,
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: false,
    defaultClientScopes: ['basic', 'roles'],
  });
  await joinGroup(admin, id, group);
}

describe('diagnosis against a real Keycloak', () => {
  it('a client without the groups mapper: whoami, doctor and test each name the missing claim and the mapper to add', async () => {
    await createClientWithoutGroupsMapper('mcp-gateway-unmapped', 'mcp-servers-restricted');
    const gateway = await startGateway({
      issuer: keycloak.issuer,
      jwksUrl: `${keycloak.issuer}/protocol/openid-connect/certs`,
      servers: ['mcpgw'],
      scopes: readFileSync(path.join(REPO, 'test', 'fixtures', 'gateway-scopes.yml'), 'utf8'),
    });
    try {
      const cwd = makeWorkdir('mcpgw-kc-diag-');
      const env = ingressEnv({
        KEYCLOAK_M2M_CLIENT_ID: 'mcp-gateway-unmapped',
        KEYCLOAK_M2M_CLIENT_SECRET: UNMAPPED_SECRET,
        REGISTRY_URL: gateway.url,
      });
      expect((await runCli(['--ingress-only'], { cwd, env })).code).toBe(0);
      const mapperFix = 'in Keycloak, give the client a "Group Membership" mapper (token claim name groups';

      const whoami = await runCli(['whoami', '--json'], { cwd, env });
      expect(whoami.code).toBe(0);
      const report = JSON.parse(whoami.stdout);
      expect(report).toMatchObject({ verified: false, client: 'mcp-gateway-unmapped', issuer: keycloak.issuer, groups: null });
      expect(report.warnings[0].fix).toContain(mapperFix);

      const doctor = await runCli(['doctor'], { cwd, env });
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toContain('✖ no groups claim: the gateway maps groups to what a token may do, so it will answer 403');
      expect(doctor.stdout).toContain(`→ ${mapperFix}`);
      expect(doctor.stdout).toContain(`✔ keycloak answers at ${keycloak.issuer}/.well-known/openid-configuration`);

      const test = await runCli(['test'], { cwd, env });
      expect(test.code).toBe(3);
      expect(test.stderr).toContain('the gateway refused initialize on mcpgw (HTTP 403): the token carries no groups claim');
      expect(test.stderr).toContain(`hint: ${mapperFix}`);
    } finally {
      await gateway.close();
    }
  });

  it("a wrong KEYCLOAK_REALM: doctor says the realm does not exist (Keycloak's own 404), the main run says where to look", async () => {
    const cwd = makeWorkdir('mcpgw-kc-diag-');
    const env = ingressEnv({ KEYCLOAK_REALM: 'MCP-Gateway' });
    const doctor = await runCli(['doctor', '--json'], { cwd, env });
    expect(doctor.code).toBe(1);
    expect(JSON.parse(doctor.stdout).findings).toContainEqual({
      area: 'identity provider',
      level: 'error',
      message: `the realm "MCP-Gateway" does not exist at ${keycloak.baseUrl} (${keycloak.baseUrl}/realms/MCP-Gateway/.well-known/openid-configuration answered 404)`,
      fix: 'check KEYCLOAK_REALM: realm names are case-sensitive (the realm list is in the admin console)',
    });
    const run = await runCli(['--ingress-only'], { cwd, env });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no such realm, tenant or path');
  });
});

describe('keycloak agent provisioning against a real Keycloak', () => {
  it('create-agent (twice, safely), --agents-only, list, rotate, delete', async () => {
    const cwd = makeWorkdir('mcpgw-kc-agent-');
    const created = await runCli(['keycloak', 'create-agent', '--agent-id', 'travel-bot', '--json'], { cwd, env: adminEnv() });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      agent_id: 'travel-bot',
      client_id: 'agent-travel-bot-m2m',
      created: true,
      groups: ['mcp-servers-restricted'],
    });
    const file = path.join(cwd, '.oauth-tokens', 'agent-travel-bot.json');
    const agent = readJson(file);
    expect(Object.keys(agent).sort()).toEqual(['client_id', 'client_secret', 'keycloak_url', 'realm']);
    expect(agent).toMatchObject({ client_id: 'agent-travel-bot-m2m', keycloak_url: keycloak.baseUrl, realm: 'mcp-gateway' });
    expect(modeOf(file)).toBe(0o600);

    const again = await runCli(['keycloak', 'create-agent', '--agent-id', 'travel-bot', '--json'], { cwd, env: adminEnv() });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, groups: ['mcp-servers-restricted'] });
    expect(readJson(file).client_secret).toBe(agent.client_secret);

    const token = await runCli(['--agents-only'], { cwd, env: {} });
    expect(token.code).toBe(0);
    const claims = await verified(readJson(path.join(cwd, '.oauth-tokens', 'agent-travel-bot-token.json')).access_token);
    expect(claims.groups).toEqual(['mcp-servers-restricted']);
    expect(claims.azp).toBe('agent-travel-bot-m2m');

    // Up to date means exactly the given groups.
    const moved = await runCli(['keycloak', 'create-agent', '--agent-id', 'travel-bot', '--group', 'mcp-servers-unrestricted'], {
      cwd,
      env: adminEnv(),
    });
    expect(moved.code).toBe(0);
    expect((await runCli(['--agents-only', '--force'], { cwd, env: {} })).code).toBe(0);
    expect((await verified(readJson(path.join(cwd, '.oauth-tokens', 'agent-travel-bot-token.json')).access_token)).groups).toEqual([
      'mcp-servers-unrestricted',
    ]);

    const listed = await runCli(['keycloak', 'list-agents', '--json'], { cwd, env: adminEnv() });
    expect(JSON.parse(listed.stdout).agents).toContainEqual({
      agent_id: 'travel-bot',
      client_id: 'agent-travel-bot-m2m',
      enabled: true,
      groups: ['mcp-servers-unrestricted'],
      local_file: file,
    });
    const table = await runCli(['keycloak', 'list-agents'], { cwd, env: adminEnv() });
    expect(table.stdout).toMatch(/^AGENT\s+CLIENT\s+ENABLED\s+GROUPS\s+LOCAL FILE\n/);
    expect(table.stdout).toMatch(/travel-bot\s+agent-travel-bot-m2m\s+yes\s+mcp-servers-unrestricted\s+yes/);

    const rotated = await runCli(['keycloak', 'rotate-secret', '--agent-id', 'travel-bot'], {
      cwd,
      env: adminEnv(),
      secrets: [agent.client_secret],
    });
    expect(rotated.code).toBe(0);
    expect(readJson(file).client_secret).not.toBe(agent.client_secret);
    expect((await runCli(['--agents-only', '--force'], { cwd, env: {} })).code).toBe(0);
    writeFileSync(file, JSON.stringify({ ...readJson(file), client_secret: agent.client_secret }), { mode: 0o600 });
    const stale = await runCli(['--agents-only', '--force'], { cwd, env: {} });
    expect(stale.code).toBe(3);

    const deleted = await runCli(['keycloak', 'delete-agent', '--agent-id', 'travel-bot', '--json'], { cwd, env: adminEnv() });
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ deleted: true });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(cwd, '.oauth-tokens', 'agent-travel-bot-token.json'))).toBe(false);
    const after = await runCli(['keycloak', 'list-agents', '--json'], { cwd, env: adminEnv() });
    expect(JSON.parse(after.stdout).agents.some((a: { agent_id: string }) => a.agent_id === 'travel-bot')).toBe(false);
    const twice = await runCli(['keycloak', 'delete-agent', '--agent-id', 'travel-bot'], { cwd, env: adminEnv() });
    expect(twice.code).toBe(0);
    expect(twice.stderr).toContain('already gone');
  });

  it('exits 3 on a wrong admin password, 1 naming the groups for a missing group, 2 without admin settings', async () => {
    const cwd = makeWorkdir();
    const wrong = await runCli(['keycloak', 'create-agent', '--agent-id', 'x1'], {
      cwd,
      env: adminEnv({ KEYCLOAK_ADMIN_PASSWORD: 'wrong-admin-password-1' }),
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('KEYCLOAK_ADMIN_PASSWORD');
    const group = await runCli(['keycloak', 'create-agent', '--agent-id', 'x2', '--group', 'no-such-group'], { cwd, env: adminEnv() });
    expect(group.code).toBe(1);
    expect(group.stderr).toContain('the group no-such-group does not exist in the realm mcp-gateway');
    expect(group.stderr).toContain('mcp-servers-restricted');
    const none = await runCli(['keycloak', 'list-agents'], { cwd, env: { KEYCLOAK_URL: keycloak.baseUrl } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('KEYCLOAK_ADMIN is not set');
    expect(none.stderr).toContain('never the command line');
    const usage = await runCli(['keycloak', 'create-agent'], { cwd, env: adminEnv() });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--agent-id is required');
  });
});

describe('egress with Keycloak as the external provider', () => {
  it("signs in on Keycloak's real login page in Chromium (PKCE required), then refreshes without a browser", async () => {
    const cwd = makeWorkdir('mcpgw-kc-egress-');
    const [port, cdpPort] = [await closedPort(), await closedPort()];
    const profile = makeWorkdir('mcpgw-kc-chromium-');
    const env = egressEnv(port);
    const cli = startCli(['--egress-only', '--json'], { cwd, timeoutMs: 90_000, env: { ...env, ...cliBrowserEnv(profile, cdpPort) } });
    await cli.waitForStderr(/Opened your browser/);
    const { browser, page } = await attachToCliChromium(cdpPort);
    try {
      await page.waitForSelector('#kc-form-login', { timeout: 30_000 });
      expect(new URL(page.url()).origin).toBe(keycloak.baseUrl);
      await page.fill('#username', ALICE.username);
      await page.fill('#password', ALICE.password);
      await Promise.all([page.waitForURL(`http://127.0.0.1:${port}/callback?**`, { timeout: 30_000 }), page.click('#kc-login')]);
      await page.locator('#result[data-ok="true"]').waitFor({ timeout: 30_000 });
      expect(await page.textContent('#result')).toBe('Signed in to Keycloak');
    } finally {
      await browser.close().catch(() => undefined);
      await stopCliChromium(profile);
    }
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).steps[0]).toMatchObject({ step: 'egress', name: 'keycloak', status: 'ok', via: 'browser' });
    const tokenFile = path.join(cwd, '.oauth-tokens', 'keycloak-egress.json');
    const record = readJson(tokenFile);
    expect((await verified(record.access_token)).preferred_username).toBe('alice');
    expect(record.refresh_token).toBeTruthy();

    writeFileSync(tokenFile, JSON.stringify(aged(record, 30)), { mode: 0o600 });
    const refreshed = await runCli(['--egress-only', '--json'], { cwd, env });
    expect(refreshed.code).toBe(0);
    expect(JSON.parse(refreshed.stdout).steps[0]).toMatchObject({ status: 'ok', via: 'refresh' });
    const after = readJson(tokenFile);
    expect(after.access_token).not.toBe(record.access_token);
    expect((await verified(after.access_token)).preferred_username).toBe('alice');
  });

  it('refuses an authorization request without PKCE (the client requires it)', async () => {
    const url = new URL(`${keycloak.issuer}/protocol/openid-connect/auth`);
    url.search = new URLSearchParams({
      client_id: 'mcp-egress-public',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:9/callback',
      scope: 'openid',
      state: 'x',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? 'http://invalid/');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge/i);
  });

  it("completes the device flow, Chromium confirming the code on Keycloak's device page", async () => {
    const cwd = makeWorkdir('mcpgw-kc-device-');
    const cli = startCli(['--egress-only', '--device', '--json'], { cwd, timeoutMs: 90_000, env: egressEnv(await closedPort()) });
    const url = new URL(await cli.authorizationUrl());
    expect(url.pathname).toBe('/realms/mcp-gateway/device');
    const code = url.searchParams.get('user_code') as string;
    expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    await cli.waitForStderr(new RegExp(`the code ${code}`));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url.href);
      await page.fill('#username', ALICE.username);
      await page.fill('#password', ALICE.password);
      await page.click('#kc-login');
      // Keycloak asks the user to grant the device's access: "Yes".
      await page.waitForSelector('#kc-login', { timeout: 30_000 });
      await page.click('#kc-login');
      await page.waitForLoadState();
      expect(await page.textContent('body')).toMatch(/Device Login Successful/i);
    } finally {
      await browser.close();
    }
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).steps[0]).toMatchObject({ status: 'ok', via: 'device' });
    const record = readJson(path.join(cwd, '.oauth-tokens', 'keycloak-egress.json'));
    expect((await verified(record.access_token)).preferred_username).toBe('alice');
  });

  it('ends the device flow with exit 3 when the user declines', async () => {
    const cwd = makeWorkdir('mcpgw-kc-device-no-');
    const cli = startCli(['--egress-only', '--device'], { cwd, timeoutMs: 90_000, env: egressEnv(await closedPort()) });
    const url = await cli.authorizationUrl();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.fill('#username', ALICE.username);
      await page.fill('#password', ALICE.password);
      await page.click('#kc-login');
      await page.waitForSelector('#kc-cancel', { timeout: 30_000 });
      await page.click('#kc-cancel');
      await page.waitForLoadState();
    } finally {
      await browser.close();
    }
    const result = await cli.done;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('access_denied');
  });
});
