import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../drivers/http-browser.js';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';
import { startSecretService, type SecretService } from '../servers/secret-service.js';

const SECRET = 'keychain-test-secret-13579';
let idp: LocalIdp;
let keyring: SecretService;

beforeAll(async () => {
  keyring = await startSecretService();
  idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ATLASSIAN_SCOPES,
    sites: [{ id: 'cloud-kc', name: 'Keychain', url: 'https://kc.atlassian.net' }],
    clients: [
      { clientId: 'm2m', clientSecret: SECRET },
      { clientId: 'egress-app', redirectUris: ['http://127.0.0.1/callback'], grantTypes: ['authorization_code', 'refresh_token'] },
    ],
  });
});
afterAll(async () => {
  await idp?.close();
  await keyring?.stop();
});

describe('--store keychain against a real Secret Service (gnome-keyring)', () => {
  it('keeps access and refresh tokens in the keychain and only metadata in the files; every command reads them', async () => {
    const cwd = makeWorkdir('mcpgw-keychain-');
    writeLocalProviders(path.join(cwd, 'providers'), idp);
    const port = await closedPort();
    const env = {
      ...keyring.env,
      MCPGW_STORE: 'keychain',
      AUTH_PROVIDER: 'keycloak',
      KEYCLOAK_URL: idp.baseUrl,
      KEYCLOAK_M2M_CLIENT_ID: 'm2m',
      KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
      REGISTRY_URL: 'https://gateway.example.com',
      MCPGW_PROVIDERS_DIR: 'providers',
      ...egressSet(1, 'atlassian', port),
    };
    const dir = path.join(cwd, '.oauth-tokens');
    const cli = startCli(['--json'], { cwd, env });
    await signInOverHttp(await cli.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
    const first = await cli.done;
    expect(first.code).toBe(0);

    // The files: metadata, no token.
    const ingressMeta = readJson(path.join(dir, 'ingress.json'));
    const egressMeta = readJson(path.join(dir, 'atlassian-egress.json'));
    expect(ingressMeta).toMatchObject({ provider: 'keycloak_m2m', client_id: 'm2m', token_store: 'keychain' });
    expect(ingressMeta.access_token).toBeUndefined();
    expect(egressMeta).toMatchObject({ server: 'atlassian', cloud_id: 'cloud-kc', token_store: 'keychain' });
    expect(egressMeta.access_token).toBeUndefined();
    expect(egressMeta.refresh_token).toBeUndefined();
    expect(modeOf(path.join(dir, 'ingress.json'))).toBe(0o600);

    // The keychain, read with libsecret's own tool: service mcpgw-creds, an account per token.
    const ingressToken = keyring.lookup('mcpgw-creds', `${path.join(dir, 'ingress.json')}#access_token`);
    const egressToken = keyring.lookup('mcpgw-creds', `${path.join(dir, 'atlassian-egress.json')}#access_token`);
    const egressRefresh = keyring.lookup('mcpgw-creds', `${path.join(dir, 'atlassian-egress.json')}#refresh_token`);
    expect(ingressToken).toMatch(/^eyJ/);
    expect(egressToken).toMatch(/^eyJ/);
    expect(egressRefresh).toBeTruthy();
    const secrets = [ingressToken, egressToken, egressRefresh] as string[];
    for (const secret of secrets) expect(first.stdout + first.stderr).not.toContain(secret);

    // A cached run reuses them from the keychain, without a request.
    const before = idp.tokenRequests().length;
    const cached = await runCli(['--json'], { cwd, env, secrets });
    expect(JSON.parse(cached.stdout).steps.filter((s: { status: string }) => s.status === 'cached')).toHaveLength(2);
    expect(idp.tokenRequests().length).toBe(before);

    // token, headers and status read them.
    expect((await runCli(['token'], { cwd, env, stdoutMayHoldSecrets: true })).stdout).toBe(`${ingressToken}\n`);
    const headers = JSON.parse((await runCli(['headers', '--server', 'atlassian'], { cwd, env, stdoutMayHoldSecrets: true })).stdout);
    expect(headers).toMatchObject({
      'X-Authorization': `Bearer ${ingressToken}`,
      Authorization: `Bearer ${egressToken}`,
      'X-Atlassian-Cloud-Id': 'cloud-kc',
    });
    const status = await runCli(['status'], { cwd, env, secrets });
    expect(status.stdout).toContain('(tokens in the OS keychain)');
    expect(status.stdout).toContain('renewal:  yes, with its refresh token');

    // The Claude Code configuration holds no token; the other two still do (docs/security.md says so).
    expect(readFileSync(path.join(dir, 'claude_mcp.json'), 'utf8')).not.toContain(ingressToken);
    expect(readFileSync(path.join(dir, 'mcp.json'), 'utf8')).toContain(ingressToken);

    // refresh renews into the keychain (a rotated refresh token too).
    const refreshed = await runCli(['refresh', '--force', '--json'], { cwd, env, secrets });
    expect(refreshed.code).toBe(0);
    const rotated = keyring.lookup('mcpgw-creds', `${path.join(dir, 'atlassian-egress.json')}#refresh_token`);
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(egressRefresh);
    expect(readJson(path.join(dir, 'atlassian-egress.json')).refresh_token).toBeUndefined();

    // logout removes the keychain entries with the files.
    const out = await runCli(['logout', '--all'], { cwd, env, secrets: [...secrets, rotated as string] });
    expect(out.code).toBe(0);
    expect(keyring.lookup('mcpgw-creds', `${path.join(dir, 'ingress.json')}#access_token`)).toBeUndefined();
    expect(keyring.lookup('mcpgw-creds', `${path.join(dir, 'atlassian-egress.json')}#refresh_token`)).toBeUndefined();
  });

  it('says plainly when no keychain is available, and names the alternative', async () => {
    const cwd = makeWorkdir('mcpgw-nokeychain-');
    const before = idp.tokenRequests().length;
    const result = await runCli(['--ingress-only', '--store', 'keychain'], {
      cwd,
      env: {
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
        AUTH_PROVIDER: 'keycloak',
        KEYCLOAK_URL: idp.baseUrl,
        KEYCLOAK_M2M_CLIENT_ID: 'm2m',
        KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the OS keychain is not available');
    // Found before any request: no token was fetched only to be lost.
    expect(result.stderr).not.toContain('new token');
    expect(idp.tokenRequests().length).toBe(before);
    expect(result.stderr).toContain('MCPGW_STORE=file');
    const bad = await runCli(['status', '--store', 'vault'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use file or keychain');
  });
});

describe('issue 9.11: switching to the keychain', () => {
  it('moves tokens written to files before into the keychain, and says so', async () => {
    const cwd = makeWorkdir('mcpgw-keychain-switch-');
    const env = {
      ...keyring.env,
      AUTH_PROVIDER: 'keycloak',
      KEYCLOAK_URL: idp.baseUrl,
      KEYCLOAK_M2M_CLIENT_ID: 'm2m',
      KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    };
    expect((await runCli(['--ingress-only'], { cwd, env })).code).toBe(0);
    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    const plain = readJson(file).access_token as string;
    expect(plain).toMatch(/^eyJ/);

    const status = await runCli(['status', '--store', 'keychain'], { cwd, env, secrets: [plain] });
    expect(status.code).toBe(0);
    expect(status.stderr).toContain(`moved the tokens of ${file} into the OS keychain`);
    expect(readJson(file).access_token).toBeUndefined();
    expect(readJson(file).token_store).toBe('keychain');
    expect(keyring.lookup('mcpgw-creds', `${file}#access_token`)).toBe(plain);
    // Said once: the next run finds nothing left to move.
    expect((await runCli(['status', '--store', 'keychain'], { cwd, env, secrets: [plain] })).stderr).not.toContain('moved');
  });
});
