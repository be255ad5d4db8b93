import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/run-cli.js';
import { makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'render-test-secret-2718281828';
let keycloak: LocalIdp;
let cognito: LocalIdp;

beforeAll(async () => {
  keycloak = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
  cognito = await startLocalIdp({
    shape: 'cognito',
    poolId: 'eu-central-1_Render1',
    clients: [{ clientId: 'cog', clientSecret: SECRET, auth: 'client_secret_basic' }],
  });
});
afterAll(async () => {
  await keycloak.close();
  await cognito.close();
});

const keycloakEnv = (): Record<string, string> => ({
  AUTH_PROVIDER: 'keycloak',
  KEYCLOAK_URL: keycloak.baseUrl,
  KEYCLOAK_M2M_CLIENT_ID: 'm2m',
  KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
  REGISTRY_URL: 'https://gateway.example.com/',
  MCP_SERVERS: 'currenttime, fininfo',
});

describe('rendered client configurations', () => {
  it('writes vscode_mcp.json and mcp.json with the Keycloak headers for mcpgw and each MCP_SERVERS entry', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['--ingress-only'], { cwd, env: keycloakEnv() });
    expect(result.code).toBe(0);
    const dir = path.join(cwd, '.oauth-tokens');
    const token = readJson(path.join(dir, 'ingress.json')).access_token as string;
    const headers = {
      'X-Authorization': `Bearer ${token}`,
      'X-Client-Id': 'm2m',
      'X-Keycloak-Realm': 'mcp-gateway',
      'X-Keycloak-URL': keycloak.baseUrl,
    };
    const names = ['mcpgw', 'currenttime', 'fininfo'];

    const vscode = readJson(path.join(dir, 'vscode_mcp.json'));
    expect(Object.keys(vscode)).toEqual(['mcp']);
    expect(Object.keys(vscode.mcp.servers)).toEqual(names);
    for (const name of names) {
      expect(vscode.mcp.servers[name]).toEqual({ type: 'http', url: `https://gateway.example.com/${name}/mcp`, headers });
    }
    const mcp = readJson(path.join(dir, 'mcp.json'));
    expect(Object.keys(mcp)).toEqual(['mcpServers']);
    expect(Object.keys(mcp.mcpServers)).toEqual(names);
    for (const name of names) {
      expect(mcp.mcpServers[name]).toEqual({
        type: 'streamable-http',
        url: `https://gateway.example.com/${name}/mcp`,
        headers,
        disabled: false,
        alwaysAllow: [],
      });
    }
    expect(modeOf(path.join(dir, 'vscode_mcp.json'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'mcp.json'))).toBe(0o600);
    expectNoSecrets(result, [SECRET, token]);
  });

  it('writes the Cognito headers', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['--ingress-only'], {
      cwd,
      env: {
        AUTH_PROVIDER: 'cognito',
        INGRESS_OAUTH_USER_POOL_ID: 'eu-central-1_Render1',
        INGRESS_OAUTH_CLIENT_ID: 'cog',
        INGRESS_OAUTH_CLIENT_SECRET: SECRET,
        COGNITO_DOMAIN: cognito.baseUrl,
        REGISTRY_URL: 'https://gateway.example.com',
      },
    });
    expect(result.code).toBe(0);
    const dir = path.join(cwd, '.oauth-tokens');
    const token = readJson(path.join(dir, 'ingress.json')).access_token as string;
    expect(readJson(path.join(dir, 'vscode_mcp.json')).mcp.servers.mcpgw.headers).toEqual({
      'X-Authorization': `Bearer ${token}`,
      'X-User-Pool-Id': 'eu-central-1_Render1',
      'X-Client-Id': 'cog',
      'X-Region': 'eu-central-1',
    });
  });

  it('renders byte-identical files from the same tokens, with `render` alone', async () => {
    const cwd = makeWorkdir();
    expect((await runCli(['--ingress-only'], { cwd, env: keycloakEnv() })).code).toBe(0);
    const dir = path.join(cwd, '.oauth-tokens');
    const first = [readFileSync(path.join(dir, 'vscode_mcp.json')), readFileSync(path.join(dir, 'mcp.json'))];
    const before = keycloak.requests.length;
    const rendered = await runCli(['render', '--json'], { cwd, env: keycloakEnv() });
    expect(rendered.code).toBe(0);
    expect(JSON.parse(rendered.stdout).steps[0]).toMatchObject({ step: 'render', status: 'ok' });
    expect(keycloak.requests.length).toBe(before);
    expect(readFileSync(path.join(dir, 'vscode_mcp.json')).equals(first[0] as Buffer)).toBe(true);
    expect(readFileSync(path.join(dir, 'mcp.json')).equals(first[1] as Buffer)).toBe(true);
  });

  it('leaves files untouched (same inode and mtime) when a cached run renders the same content', async () => {
    const cwd = makeWorkdir();
    expect((await runCli(['--ingress-only'], { cwd, env: keycloakEnv() })).code).toBe(0);
    const file = path.join(cwd, '.oauth-tokens', 'mcp.json');
    const before = statSync(file);
    const again = await runCli(['--ingress-only', '--json'], { cwd, env: keycloakEnv() });
    expect(JSON.parse(again.stdout).steps.at(-1)).toMatchObject({ step: 'render', status: 'ok', changed: false });
    expect(again.stderr).toContain('render: up to date');
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // A new token changes the content, and the file is replaced.
    const forced = await runCli(['--ingress-only', '--force', '--json'], { cwd, env: keycloakEnv() });
    expect(JSON.parse(forced.stdout).steps.at(-1)).toMatchObject({ changed: true });
    expect(statSync(file).ino).not.toBe(before.ino);
  });

  it('skips rendering with a warning when REGISTRY_URL is not set; `render` then exits 2', async () => {
    const cwd = makeWorkdir();
    const { REGISTRY_URL: _, ...env } = keycloakEnv();
    const result = await runCli(['--ingress-only', '--json'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: client configurations not written: REGISTRY_URL is not set');
    expect(JSON.parse(result.stdout).steps.at(-1)).toMatchObject({ step: 'render', status: 'skipped' });
    const rendered = await runCli(['render'], { cwd, env });
    expect(rendered.code).toBe(2);
    expect(rendered.stderr).toContain('REGISTRY_URL');
  });

  it('does not render when no token was obtained or reused', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['--ingress-only', '--json'], {
      cwd,
      env: { ...keycloakEnv(), KEYCLOAK_M2M_CLIENT_SECRET: 'nope-nope-nope-1' },
    });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).steps.at(-1)).toMatchObject({ step: 'render', status: 'skipped' });
  });
});
