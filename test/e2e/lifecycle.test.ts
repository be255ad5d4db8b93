import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../drivers/http-browser.js';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { aged, jwtClaims, makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'lifecycle-secret-0987654321';
let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ATLASSIAN_SCOPES,
    sites: [{ id: 'cloud-life', name: 'Life', url: 'https://life.atlassian.net' }],
    clients: [
      { clientId: 'm2m', clientSecret: SECRET, groups: ['mcp-servers-unrestricted'] },
      { clientId: 'egress-app', redirectUris: ['http://127.0.0.1/callback'], grantTypes: ['authorization_code', 'refresh_token'] },
    ],
  });
});
afterAll(() => idp.close());

/** A working directory with an ingress token and an Atlassian egress token. */
async function signedIn(): Promise<{ cwd: string; env: Record<string, string>; dir: string }> {
  const cwd = makeWorkdir('mcpgw-life-');
  writeLocalProviders(path.join(cwd, 'providers'), idp);
  const port = await closedPort();
  const env = {
    AUTH_PROVIDER: 'keycloak',
    KEYCLOAK_URL: idp.baseUrl,
    KEYCLOAK_M2M_CLIENT_ID: 'm2m',
    KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    REGISTRY_URL: 'https://gateway.example.com',
    MCP_SERVERS: 'currenttime',
    MCPGW_PROVIDERS_DIR: 'providers',
    ...egressSet(1, 'atlassian', port),
  };
  const cli = startCli([], { cwd, env });
  await signInOverHttp(await cli.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
  expect((await cli.done).code).toBe(0);
  return { cwd, env, dir: path.join(cwd, '.oauth-tokens') };
}

/** Ages a token file so that it expires in `seconds`, its lifetime unchanged (as if saved earlier). */
function expireIn(file: string, seconds: number, changes: Record<string, unknown> = {}): void {
  writeFileSync(file, JSON.stringify(aged(readJson(file), seconds, changes)), { mode: 0o600 });
}

describe('status', () => {
  it('lists every token with expiry, scopes, unverified groups, renewal and file; makes no request; --check', async () => {
    const { cwd, env, dir } = await signedIn();
    const before = idp.requests.length;
    const human = await runCli(['status'], { cwd, env });
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout).toMatch(/^ingress \(keycloak_m2m\): expires in 60 min, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect(human.stdout).toContain('groups:   mcp-servers-unrestricted   (claim groups, read from the token, not verified)');
    expect(human.stdout).toMatch(/^egress atlassian \(atlassian\): expires in 60 min/m);
    expect(human.stdout).toContain('renewal:  yes, with its refresh token');
    expect(human.stdout).toContain('file:     .oauth-tokens/atlassian-egress.json');

    const json = JSON.parse((await runCli(['status', '--json'], { cwd, env })).stdout);
    expect(json.tokens.map((t: { kind: string; name: string }) => `${t.kind}:${t.name}`)).toEqual(['ingress:ingress', 'egress:atlassian']);
    expect(json.tokens[0]).toMatchObject({
      provider: 'keycloak_m2m',
      groups_unverified: ['mcp-servers-unrestricted'],
      groups_claim: 'groups',
      renewal: 'client_credentials',
      file: path.join(dir, 'ingress.json'),
    });
    expect(json.tokens[1]).toMatchObject({ provider: 'atlassian', server: 'atlassian', renewal: 'refresh_token' });
    expect(json.tokens[1].scope.split(' ')).toContain('read:jira-work');
    expect(idp.requests.length).toBe(before);

    expect((await runCli(['status', '--check'], { cwd, env })).code).toBe(0);
    expireIn(path.join(dir, 'ingress.json'), 120);
    const check = await runCli(['status', '--check'], { cwd, env });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('1 token expires within 300 s: ingress');
    expect((await runCli(['status', '--check', '--buffer', '60'], { cwd, env })).code).toBe(0);
  });
});

describe('token', () => {
  it('prints the access token alone, renewing it first when it expires within the margin', async () => {
    const { cwd, env, dir } = await signedIn();
    const ingress = readJson(path.join(dir, 'ingress.json'));
    const before = idp.tokenRequests().length;
    const fresh = await runCli(['token'], { cwd, env, stdoutMayHoldSecrets: true });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toBe(`${ingress.access_token}\n`);
    expect(fresh.stderr).toBe('');
    expect(idp.tokenRequests().length).toBe(before);

    expireIn(path.join(dir, 'ingress.json'), 100);
    const renewed = await runCli(['token', '--ingress'], { cwd, env, stdoutMayHoldSecrets: true });
    expect(renewed.code).toBe(0);
    expect(idp.tokenRequests().length).toBe(before + 1);
    expect(renewed.stdout).toBe(`${readJson(path.join(dir, 'ingress.json')).access_token}\n`);
    expect(renewed.stdout).not.toContain(ingress.access_token);

    const egress = readJson(path.join(dir, 'atlassian-egress.json'));
    expect((await runCli(['token', '--server', 'atlassian'], { cwd, env, stdoutMayHoldSecrets: true })).stdout).toBe(
      `${egress.access_token}\n`,
    );
    expireIn(path.join(dir, 'atlassian-egress.json'), 30);
    const refreshed = await runCli(['token', '--server', 'atlassian'], { cwd, env, stdoutMayHoldSecrets: true });
    expect(refreshed.code).toBe(0);
    const after = readJson(path.join(dir, 'atlassian-egress.json'));
    expect(after.refresh_token).not.toBe(egress.refresh_token);
    expect(refreshed.stdout).toBe(`${after.access_token}\n`);
    expect(after.cloud_id).toBe('cloud-life');
  });

  it('says what is wrong: an unknown server, conflicting choices, nothing to renew with', async () => {
    const { cwd, env, dir } = await signedIn();
    const unknown = await runCli(['token', '--server', 'nope'], { cwd, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('the token of the server nope is missing');
    expect((await runCli(['token', '--ingress', '--server', 'x'], { cwd, env })).code).toBe(2);
    expireIn(path.join(dir, 'ingress.json'), 10);
    const { AUTH_PROVIDER: _, ...noIngress } = env;
    const stale = await runCli(['token'], { cwd, env: noIngress });
    expect(stale.code).toBe(2);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toContain('the ingress token is about to expire, and nothing is configured to renew it');
  });
});

describe('headers and the Claude Code configuration', () => {
  it("prints exactly a JSON object of the renderers' headers, and nothing else", async () => {
    const { cwd, env, dir } = await signedIn();
    const gateway = await runCli(['headers', '--server', 'mcpgw'], { cwd, env, stdoutMayHoldSecrets: true });
    expect(gateway.code).toBe(0);
    expect(gateway.stderr).toBe('');
    expect(gateway.stdout.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(gateway.stdout);
    const vscode = readJson(path.join(dir, 'vscode_mcp.json')).mcp.servers;
    expect(parsed).toEqual(vscode.mcpgw.headers);
    // From the variable Claude Code sets, for an egress server:
    const atlassian = await runCli(['headers'], {
      cwd,
      env: { ...env, CLAUDE_CODE_MCP_SERVER_NAME: 'atlassian' },
      stdoutMayHoldSecrets: true,
    });
    expect(JSON.parse(atlassian.stdout)).toEqual(vscode.atlassian.headers);
    expect(Object.keys(JSON.parse(atlassian.stdout))).toEqual([
      'X-Authorization',
      'X-Client-Id',
      'X-Keycloak-Realm',
      'X-Keycloak-URL',
      'Authorization',
      'X-Atlassian-Cloud-Id',
    ]);
    const none = await runCli(['headers'], { cwd, env });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('CLAUDE_CODE_MCP_SERVER_NAME');
  });

  it('renews an expiring token before printing the headers', async () => {
    const { cwd, env, dir } = await signedIn();
    const old = readJson(path.join(dir, 'ingress.json')).access_token as string;
    expireIn(path.join(dir, 'ingress.json'), 60);
    const result = await runCli(['headers', '--server', 'currenttime'], { cwd, env, stdoutMayHoldSecrets: true });
    expect(result.code).toBe(0);
    const headers = JSON.parse(result.stdout);
    expect(headers['X-Authorization']).toBe(`Bearer ${readJson(path.join(dir, 'ingress.json')).access_token}`);
    expect(headers['X-Authorization']).not.toContain(old);
    // The rendered configurations follow the renewal.
    expect(readJson(path.join(dir, 'mcp.json')).mcpServers.currenttime.headers['X-Authorization']).toBe(headers['X-Authorization']);
  });

  it('with 5-minute tokens, 10 headers calls in a row make at most one token request (not one per call)', async () => {
    const short = await startLocalIdp({ shape: 'keycloak', accessTokenTtl: 300, clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
    try {
      const cwd = makeWorkdir('mcpgw-life-short-');
      const env = {
        AUTH_PROVIDER: 'keycloak',
        KEYCLOAK_URL: short.baseUrl,
        KEYCLOAK_M2M_CLIENT_ID: 'm2m',
        KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
        REGISTRY_URL: 'https://gateway.example.com',
      };
      expect((await runCli(['--ingress-only'], { cwd, env })).code).toBe(0);
      const before = short.tokenRequests().length;
      for (let call = 0; call < 10; call++) {
        const result = await runCli(['headers', '--server', 'mcpgw'], { cwd, env, stdoutMayHoldSecrets: true });
        expect(result.code).toBe(0);
        const rendered = readJson(path.join(cwd, '.oauth-tokens', 'mcp.json')).mcpServers.mcpgw.headers['X-Authorization'];
        expect(JSON.parse(result.stdout)['X-Authorization']).toBe(rendered);
      }
      expect(short.tokenRequests().length - before).toBeLessThanOrEqual(1);
    } finally {
      await short.close();
    }
  });

  it('writes claude_mcp.json with a headersHelper per server and no secret; the helper prints the headers from anywhere', async () => {
    const { cwd, env, dir } = await signedIn();
    const text = readFileSync(path.join(dir, 'claude_mcp.json'), 'utf8');
    const claude = JSON.parse(text);
    expect(Object.keys(claude.mcpServers)).toEqual(['mcpgw', 'atlassian', 'currenttime']);
    expect(claude.mcpServers.atlassian).toMatchObject({ type: 'http', url: 'https://gateway.example.com/atlassian/mcp' });
    expect(claude.mcpServers.atlassian.headers).toBeUndefined();
    for (const file of ['ingress.json', 'atlassian-egress.json']) {
      const record = readJson(path.join(dir, file));
      expect(text).not.toContain(record.access_token);
      expect(text.includes(record.refresh_token ?? '\u0000')).toBe(false);
    }
    expect(text).not.toContain(SECRET);
    // Claude Code runs the helper through a shell, from its own directory, with its own variables.
    const elsewhere = makeWorkdir('mcpgw-claude-');
    const printed = execFileSync('/bin/sh', ['-c', claude.mcpServers.atlassian.headersHelper], {
      cwd: elsewhere,
      env: {
        PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: elsewhere,
        ...env,
        MCPGW_PROVIDERS_DIR: path.join(cwd, 'providers'),
      },
      encoding: 'utf8',
    });
    expect(JSON.parse(printed)).toEqual(readJson(path.join(dir, 'vscode_mcp.json')).mcp.servers.atlassian.headers);
  });
});

describe('refresh', () => {
  it('--once renews what expires within the buffer (egress with its refresh token), leaves the rest, and re-renders', async () => {
    const { cwd, env, dir } = await signedIn();
    const ingress = readJson(path.join(dir, 'ingress.json'));
    const egress = readJson(path.join(dir, 'atlassian-egress.json'));
    const untouched = await runCli(['refresh', '--once', '--json', '--buffer', '60'], { cwd, env });
    expect(untouched.code).toBe(0);
    expect(JSON.parse(untouched.stdout).steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
      'ingress:cached',
      'egress:cached',
      'render:ok',
    ]);
    // Half its life gone (of 3600 s): inside the default buffer of 3600 s, and past half its life.

    expireIn(path.join(dir, 'atlassian-egress.json'), 1700);
    const result = await runCli(['refresh', '--json'], { cwd, env });
    expect(result.code).toBe(0);
    const steps = JSON.parse(result.stdout).steps;
    expect(steps[1]).toMatchObject({ step: 'egress', name: 'atlassian', status: 'ok', via: 'refresh' });
    expect(steps.at(-1)).toMatchObject({ step: 'render', status: 'ok', changed: true });
    expect(readJson(path.join(dir, 'atlassian-egress.json')).access_token).not.toBe(egress.access_token);
    // The ingress token lives 3600 s: renewed at half its life, not at the 3600 s buffer.
    expect(readJson(path.join(dir, 'ingress.json')).access_token).toBe(ingress.access_token);

    const forced = await runCli(['refresh', '--force', '--json'], { cwd, env });
    expect(
      JSON.parse(forced.stdout)
        .steps.slice(0, 2)
        .map((s: { status: string }) => s.status),
    ).toEqual(['ok', 'ok']);
    expect(readJson(path.join(dir, 'ingress.json')).access_token).not.toBe(ingress.access_token);
  });

  it('never signs in: a set without a token is skipped, one without a refresh token fails', async () => {
    const { cwd, env, dir } = await signedIn();
    const port = await closedPort();
    const env2 = { ...env, ...egressSet(2, 'localidp', port) };
    expireIn(path.join(dir, 'atlassian-egress.json'), 10, { refresh_token: undefined });
    const result = await runCli(['refresh', '--json'], { cwd, env: env2 });
    expect(result.stderr).not.toContain('Sign in to');
    const steps = JSON.parse(result.stdout).steps;
    expect(steps.find((s: { name?: string }) => s.name === 'localidp')).toMatchObject({ status: 'skipped' });
    expect(steps.find((s: { name?: string }) => s.name === 'atlassian')).toMatchObject({
      status: 'failed',
      error: { code: 'sign_in_required' },
    });
    expect(result.code).toBe(1);
  });
});

describe('logout', () => {
  it('--server revokes at the provider, deletes the file and re-renders; --all deletes every token', async () => {
    const { cwd, env, dir } = await signedIn();
    const egress = readJson(path.join(dir, 'atlassian-egress.json'));
    const out = await runCli(['logout', '--server', 'atlassian', '--json'], { cwd, env });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).steps[0]).toMatchObject({
      step: 'logout',
      name: 'atlassian',
      status: 'ok',
      reason: 'revoked at the provider and deleted',
    });
    expect(readJson(path.join(dir, 'mcp.json')).mcpServers.atlassian).toBeUndefined();
    // The revoked refresh token no longer works at the provider.
    const reuse = await fetch(idp.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: egress.refresh_token, client_id: 'egress-app' }),
    });
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');

    const all = await runCli(['logout', '--all', '--json'], { cwd, env });
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).steps[0]).toMatchObject({ step: 'logout', status: 'ok', reason: 'revoked at the provider and deleted' });
    const left = (await runCli(['status', '--json'], { cwd, env })).stdout;
    expect(JSON.parse(left).tokens).toEqual([]);
    // No rendered file keeps the old tokens.
    const rendered = readFileSync(path.join(dir, 'mcp.json'), 'utf8') + readFileSync(path.join(dir, 'vscode_mcp.json'), 'utf8');
    expect(rendered).not.toContain('Bearer');
    expect((await runCli(['logout', '--server', 'atlassian'], { cwd, env })).code).toBe(2);
    expect((await runCli(['logout'], { cwd, env })).code).toBe(2);
  });
});

describe('token claims', () => {
  it('are what status says', async () => {
    const { dir } = await signedIn();
    expect(jwtClaims(readJson(path.join(dir, 'ingress.json')).access_token).groups).toEqual(['mcp-servers-unrestricted']);
  });
});
