import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../drivers/http-browser.js';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { aged, makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SITES = [
  { id: 'cloud-0001', name: 'Acme Engineering', url: 'https://acme-eng.atlassian.net' },
  { id: 'cloud-0002', name: 'Acme Sales', url: 'https://acme-sales.atlassian.net' },
];
let idp: LocalIdp;
let twoSites: LocalIdp;

function idpOptions(sites: typeof SITES) {
  return {
    shape: 'keycloak' as const,
    scopes: ATLASSIAN_SCOPES,
    denyDescription: 'User said no <script>alert("x")</script> & left',
    sites,
    clients: [{ clientId: 'egress-app', redirectUris: ['http://127.0.0.1/callback'], grantTypes: ['authorization_code', 'refresh_token'] }],
  };
}

beforeAll(async () => {
  idp = await startLocalIdp(idpOptions(SITES.slice(0, 1)));
  twoSites = await startLocalIdp(idpOptions(SITES));
});
afterAll(async () => {
  await idp.close();
  await twoSites.close();
});

async function setup(server: LocalIdp = idp): Promise<{ cwd: string; port: number; base: Record<string, string> }> {
  const cwd = makeWorkdir('mcpgw-egress-');
  writeLocalProviders(path.join(cwd, 'providers'), server);
  const port = await closedPort();
  return { cwd, port, base: { MCPGW_PROVIDERS_DIR: 'providers', REGISTRY_URL: 'https://gateway.example.com' } };
}

const tokenFile = (cwd: string, name = 'atlassian-egress.json'): string => path.join(cwd, '.oauth-tokens', name);
const codeOf = (callbackUrl: string): string => new URL(callbackUrl).searchParams.get('code') ?? '';

describe('egress: the browser sign-in', () => {
  it('signs in with PKCE, checks state and issuer, saves the token with the Atlassian site, and renders it', async () => {
    const { cwd, port, base } = await setup();
    const cli = startCli(['--egress-only', '--provider', 'atlassian', '--json'], {
      cwd,
      env: { ...base, ...egressSet(1, 'atlassian', port) },
    });
    const url = new URL(await cli.authorizationUrl());
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    expect(url.searchParams.get('audience')).toBe('api.atlassian.com');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('scope')).toBe(ATLASSIAN_SCOPES.join(' '));

    const signIn = await signInOverHttp(url.href, { callbackOrigin: `http://127.0.0.1:${port}` });
    expect(new URL(signIn.callbackUrl).searchParams.get('iss')).toBe(idp.issuer);
    expect(signIn.status).toBe(200);
    expect(signIn.body).toContain('Signed in to Atlassian (local)');
    expect(signIn.body).toContain('You can close this tab');

    const result = await cli.done;
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.steps[0]).toMatchObject({ step: 'egress', name: 'atlassian', status: 'ok', via: 'browser' });

    const record = readJson(tokenFile(cwd));
    expect(Object.keys(record).sort()).toEqual(
      [
        'access_token',
        'client_id',
        'cloud_id',
        'expires_at',
        'expires_at_human',
        'provider',
        'refresh_token',
        'saved_at',
        'scope',
        'server',
        'site_url',
        'token_type',
      ].sort(),
    );
    expect(record).toMatchObject({
      provider: 'atlassian',
      server: 'atlassian',
      client_id: 'egress-app',
      token_type: 'Bearer',
      cloud_id: 'cloud-0001',
    });
    expect(record.scope.split(' ').sort()).toEqual([...ATLASSIAN_SCOPES].sort());
    expect(modeOf(tokenFile(cwd))).toBe(0o600);

    const mcp = readJson(path.join(cwd, '.oauth-tokens', 'mcp.json'));
    expect(mcp.mcpServers.atlassian.url).toBe('https://gateway.example.com/atlassian/mcp');
    expect(mcp.mcpServers.atlassian.headers).toEqual({
      Authorization: `Bearer ${record.access_token}`,
      'X-Atlassian-Cloud-Id': 'cloud-0001',
    });
    // The code never appears in the output (runCli scans for the tokens and secrets itself).
    expect(result.stderr).not.toContain(codeOf(signIn.callbackUrl));
  });

  it('answers forged callbacks (wrong state, no state) with 400 and keeps waiting; a replay after success finds nobody', async () => {
    const { cwd, port, base } = await setup();
    const cli = startCli(['--egress-only'], { cwd, env: { ...base, ...egressSet(1, 'localidp', port) } });
    const url = await cli.authorizationUrl();
    const callback = `http://127.0.0.1:${port}/callback`;

    const wrongState = await fetch(`${callback}?code=forged&state=not-the-state`);
    expect(wrongState.status).toBe(400);
    expect(await wrongState.text()).toContain('Not the sign-in mcpgw-creds is waiting for');
    const noState = await fetch(`${callback}?code=forged`);
    expect(noState.status).toBe(400);
    const wrongPath = await fetch(`http://127.0.0.1:${port}/elsewhere?code=x`);
    expect(wrongPath.status).toBe(404);

    const signIn = await signInOverHttp(url, { callbackOrigin: `http://127.0.0.1:${port}` });
    expect(signIn.status).toBe(200);
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('ignored a callback, because its state does not match this sign-in');
    expect(result.stderr).toContain('ignored a callback, because it carries no state');

    const replay = await fetch(signIn.callbackUrl).then(
      () => 'answered',
      (error: unknown) => ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).message,
    );
    expect(replay).toBe('ECONNREFUSED');
    expect(readJson(tokenFile(cwd, 'localidp-egress.json')).access_token).toBeTruthy();
  });

  it("ends with exit 3 and the provider's description on access_denied, escaping it in the page", async () => {
    const { cwd, port, base } = await setup();
    const cli = startCli(['--egress-only'], { cwd, env: { ...base, ...egressSet(1, 'localidp', port) } });
    const signIn = await signInOverHttp(await cli.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}`, cancel: true });
    expect(new URL(signIn.callbackUrl).searchParams.get('error')).toBe('access_denied');
    expect(signIn.status).toBe(400);
    expect(signIn.body).not.toContain('<script>');
    expect(signIn.body).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; left');
    const result = await cli.done;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('access_denied: User said no <script>alert("x")</script> & left');
    expect(result.stderr).toContain('approve the access');
  });

  it('shows where to sign in even with --quiet (the one thing the person must act on), and nothing else', async () => {
    const { cwd, port, base } = await setup();
    const cli = startCli(['--egress-only', '--provider', 'atlassian', '--quiet', '--no-browser'], {
      cwd,
      env: { ...base, ...egressSet(1, 'atlassian', port) },
    });
    const url = await cli.authorizationUrl();
    await signInOverHttp(url, { callbackOrigin: `http://127.0.0.1:${port}` });
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Sign in to Atlassian (local) for the server atlassian at:\n\n  ${url}`);
    expect(result.stderr).not.toContain('Waiting for the sign-in');
    expect(result.stderr).not.toContain('new token');
  });

  it('exits 5 when no callback arrives within --timeout', async () => {
    const { cwd, port, base } = await setup();
    const result = await runCli(['--egress-only', '--timeout', '1'], { cwd, env: { ...base, ...egressSet(1, 'localidp', port) } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('no sign-in to Local IdP arrived within 1 s');
    expect(result.stderr).toContain('--timeout');
    expect(result.ms).toBeLessThan(8_000);
  });

  it('exits 5 at once in CI, where no browser sign-in can complete', async () => {
    const { cwd, port, base } = await setup();
    const result = await runCli(['--egress-only'], { cwd, env: { ...base, CI: 'true', ...egressSet(1, 'localidp', port) } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('CI is set');
    expect(result.ms).toBeLessThan(5_000);
  });

  it('refuses a non-loopback redirect URI before any request (exit 2)', async () => {
    const { cwd, base } = await setup();
    const before = idp.requests.length;
    const result = await runCli(['--egress-only'], {
      cwd,
      env: { ...base, ...egressSet(1, 'localidp', 1, { EGRESS_OAUTH_REDIRECT_URI_1: 'https://app.example.com/callback' }) },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('EGRESS_OAUTH_REDIRECT_URI_1');
    expect(result.stderr).toContain('not a loopback redirect URI');
    expect(idp.requests.length).toBe(before);
  });

  it('says which port is taken and which variable to change', async () => {
    const { cwd, port, base } = await setup();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runCli(['--egress-only'], { cwd, env: { ...base, ...egressSet(1, 'localidp', port) } });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`127.0.0.1:${port}: the port is in use by another program`);
      expect(result.stderr).toContain('EGRESS_OAUTH_REDIRECT_URI_1');
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it('refuses a callback with the right state from the wrong issuer (mix-up defence)', async () => {
    const { cwd, port, base } = await setup();
    const cli = startCli(['--egress-only'], { cwd, env: { ...base, ...egressSet(1, 'localidp', port) } });
    const state = new URL(await cli.authorizationUrl()).searchParams.get('state') ?? '';
    const page = await fetch(
      `http://127.0.0.1:${port}/callback?code=abc&state=${state}&iss=${encodeURIComponent('https://evil.example.com')}`,
    );
    expect(page.status).toBe(400);
    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('comes from the issuer https://evil.example.com');
    expect(result.stderr).toContain('mix-up');
  });
});

describe('egress: refresh', () => {
  async function signedIn(): Promise<{ cwd: string; env: Record<string, string>; record: Record<string, any> }> {
    const { cwd, port, base } = await setup();
    const env = { ...base, ...egressSet(1, 'localidp', port) };
    const cli = startCli(['--egress-only'], { cwd, env });
    await signInOverHttp(await cli.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
    expect((await cli.done).code).toBe(0);
    return { cwd, env, record: readJson(tokenFile(cwd, 'localidp-egress.json')) };
  }
  const expireSoon = (cwd: string, record: Record<string, any>, changes: Record<string, unknown> = {}): void =>
    writeFileSync(tokenFile(cwd, 'localidp-egress.json'), JSON.stringify(aged(record, 60, changes)), { mode: 0o600 });

  it('reuses a valid token, then refreshes an expiring one without a browser, saving the rotated refresh token', async () => {
    const { cwd, env, record } = await signedIn();
    const cached = await runCli(['--egress-only', '--json'], { cwd, env });
    expect(JSON.parse(cached.stdout).steps[0]).toMatchObject({ status: 'cached', via: 'cache' });

    expireSoon(cwd, record);
    const refreshed = await runCli(['--egress-only', '--json'], { cwd, env, timeoutMs: 20_000 });
    expect(refreshed.code).toBe(0);
    expect(refreshed.stderr).not.toContain('Sign in to');
    expect(JSON.parse(refreshed.stdout).steps[0]).toMatchObject({ step: 'egress', status: 'ok', via: 'refresh' });
    const after = readJson(tokenFile(cwd, 'localidp-egress.json'));
    expect(after.access_token).not.toBe(record.access_token);
    expect(after.refresh_token).toBeTruthy();
    expect(after.refresh_token).not.toBe(record.refresh_token);
    expect(after.expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) + 3000);
    expect(modeOf(tokenFile(cwd, 'localidp-egress.json'))).toBe(0o600);
    // The old refresh token was rotated away: it must not be printed either.
    expect(refreshed.stderr).not.toContain(record.refresh_token);
  });

  it('on invalid_grant without a terminal, exits 3 saying to sign in again', async () => {
    const { cwd, env, record } = await signedIn();
    expireSoon(cwd, record, { refresh_token: 'revoked-or-rotated-refresh-token' });
    const result = await runCli(['--egress-only'], { cwd, env, secrets: ['revoked-or-rotated-refresh-token'] });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid_grant');
    expect(result.stderr).toContain('sign in again on a terminal');
    expect(result.stderr).not.toContain('Sign in to');
  });
});

describe('egress: several sets and Atlassian sites', () => {
  it('runs two sets, each with its own listener, and one failing does not stop the other', async () => {
    const { cwd, port, base } = await setup();
    const port2 = await closedPort();
    const blocked = await closedPort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(blocked, '127.0.0.1', resolve));
    try {
      const env = {
        ...base,
        ...egressSet(1, 'localidp', blocked),
        ...egressSet(2, 'localidp', port, { EGRESS_MCP_SERVER_NAME_2: 'jira' }),
        ...egressSet(3, 'atlassian', port2, { EGRESS_MCP_SERVER_NAME_3: 'confluence' }),
      };
      const cli = startCli(['--egress-only', '--json'], { cwd, env });
      const first = await cli.authorizationUrl();
      expect(new URL(first).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
      await signInOverHttp(first, { callbackOrigin: `http://127.0.0.1:${port}` });
      const second = (await cli.waitForStderr(/for the server confluence at:\n\n\s+(\S+)/))[1] as string;
      expect(new URL(second).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port2}/callback`);
      await signInOverHttp(second, { callbackOrigin: `http://127.0.0.1:${port2}` });
      const result = await cli.done;
      expect(result.code).toBe(1);
      const steps = JSON.parse(result.stdout).steps;
      expect(steps.map((s: { name?: string; status: string }) => [s.name, s.status])).toEqual([
        ['localidp', 'failed'],
        ['jira', 'ok'],
        ['confluence', 'ok'],
        [undefined, 'ok'],
      ]);
      expect(readJson(tokenFile(cwd, 'localidp-jira-egress.json')).server).toBe('jira');
      expect(readJson(tokenFile(cwd, 'atlassian-confluence-egress.json')).cloud_id).toBe('cloud-0001');
      expect(Object.keys(readJson(path.join(cwd, '.oauth-tokens', 'vscode_mcp.json')).mcp.servers)).toEqual([
        'mcpgw',
        'confluence',
        'jira',
      ]);
    } finally {
      blocker.close();
    }
  });

  it('with two sites: EGRESS_ATLASSIAN_SITE_N picks by name or URL; without it the first, with a warning', async () => {
    const { cwd, port, base } = await setup(twoSites);
    const byUrl = startCli(['--egress-only'], {
      cwd,
      env: { ...base, ...egressSet(1, 'atlassian', port, { EGRESS_ATLASSIAN_SITE_1: 'HTTPS://ACME-SALES.atlassian.net/' }) },
    });
    await signInOverHttp(await byUrl.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
    expect((await byUrl.done).code).toBe(0);
    expect(readJson(tokenFile(cwd)).cloud_id).toBe('cloud-0002');

    const other = await setup(twoSites);
    const first = startCli(['--egress-only'], { cwd: other.cwd, env: { ...other.base, ...egressSet(1, 'atlassian', other.port) } });
    await signInOverHttp(await first.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${other.port}` });
    const result = await first.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('reaches 2 Atlassian sites');
    expect(result.stderr).toContain('EGRESS_ATLASSIAN_SITE_1');
    expect(readJson(tokenFile(other.cwd)).cloud_id).toBe('cloud-0001');
  });

  it('with a site that does not exist: exit 1 naming the sites, the token kept, and the next run looks again without a sign-in', async () => {
    const { cwd, port, base } = await setup(twoSites);
    const env = { ...base, ...egressSet(1, 'atlassian', port, { EGRESS_ATLASSIAN_SITE_1: 'Acme Marketing' }) };
    const cli = startCli(['--egress-only'], { cwd, env });
    await signInOverHttp(await cli.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('matches none of the Atlassian sites');
    expect(result.stderr).toContain('Acme Sales (https://acme-sales.atlassian.net, cloud-0002)');
    expect(readJson(tokenFile(cwd)).cloud_id).toBeUndefined();

    const fixed = await runCli(['--egress-only', '--json'], { cwd, env: { ...env, EGRESS_ATLASSIAN_SITE_1: 'cloud-0002' } });
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).not.toContain('Sign in to');
    expect(readJson(tokenFile(cwd)).cloud_id).toBe('cloud-0002');
  });
});

describe('provider definitions', () => {
  it('names the file and the field of a malformed definition (exit 2)', async () => {
    const { cwd, port, base } = await setup();
    writeFileSync(path.join(cwd, 'providers', 'broken.yaml'), 'auth_url: https://a.example.com\ntoken_url: 42\nscope: [x]\n');
    const result = await runCli(['--egress-only'], { cwd, env: { ...base, ...egressSet(1, 'localidp', port) } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(cwd, 'providers', 'broken.yaml')}: field "token_url"`);
    expect(result.stderr).toContain('field "scope": unknown field');
  });

  it('names an unknown provider and lists the known ones', async () => {
    const { cwd, port, base } = await setup();
    const result = await runCli(['--egress-only'], { cwd, env: { ...base, ...egressSet(1, 'myspace', port) } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('EGRESS_PROVIDER_NAME_1 is "myspace"');
    expect(result.stderr).toMatch(/known: .*atlassian.*github.*google.*microsoft/);
  });

  it('fills the Microsoft tenant from EGRESS_MICROSOFT_TENANT_N, default common, and refuses a tenant that would change the URL', async () => {
    const { cwd, port, base } = await setup();
    // --no-device: Microsoft offers the device flow, which would be chosen here (no browser) and needs the network.
    const tenant = await runCli(['--egress-only', '--no-browser', '--no-device', '--timeout', '1'], {
      cwd,
      env: { ...base, ...egressSet(1, 'microsoft', port, { EGRESS_MICROSOFT_TENANT_1: 'contoso.onmicrosoft.com' }) },
    });
    expect(tenant.code).toBe(5);
    expect(tenant.stderr).toContain('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?');
    const common = await runCli(['--egress-only', '--no-browser', '--no-device', '--timeout', '1'], {
      cwd,
      env: { ...base, ...egressSet(1, 'microsoft', port) },
    });
    expect(common.stderr).toContain('https://login.microsoftonline.com/common/oauth2/v2.0/authorize?');
    const evil = await runCli(['--egress-only'], {
      cwd,
      env: { ...base, ...egressSet(1, 'microsoft', port, { EGRESS_MICROSOFT_TENANT_1: 'evil.example.com/x?' }) },
    });
    expect(evil.code).toBe(2);
    expect(evil.stderr).toContain('EGRESS_MICROSOFT_TENANT_1');
  });

  it('needs EGRESS_COGNITO_DOMAIN_N for Cognito user login', async () => {
    const { cwd, port, base } = await setup();
    const result = await runCli(['--egress-only'], { cwd, env: { ...base, ...egressSet(1, 'cognito', port) } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('EGRESS_COGNITO_DOMAIN_1 is not set');
    const filled = await runCli(['--egress-only', '--no-browser', '--timeout', '1'], {
      cwd,
      env: { ...base, ...egressSet(1, 'cognito', port, { EGRESS_COGNITO_DOMAIN_1: 'my-app', EGRESS_COGNITO_REGION_1: 'eu-west-1' }) },
    });
    expect(filled.stderr).toContain('https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/authorize?');
  });

  it('loads every built-in definition without a problem', async () => {
    const { loadCatalogue } = await import('../../src/providers/catalogue.js');
    const catalogue = await loadCatalogue(undefined);
    expect(catalogue.names()).toEqual(
      expect.arrayContaining([
        'atlassian',
        'cognito',
        'discord',
        'github',
        'google',
        'linkedin',
        'microsoft',
        'slack',
        'spotify',
        'twitter',
        'x',
      ]),
    );
    expect(readFileSync(catalogue.get('atlassian')?.file ?? '', 'utf8')).toContain('X-Atlassian-Cloud-Id');
  });
});

describe('--all', () => {
  it('does ingress, egress and rendering in one run', async () => {
    const keycloak = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'm2m', clientSecret: 'all-in-one-secret-123456' }] });
    try {
      const { cwd, port, base } = await setup();
      const env = {
        ...base,
        AUTH_PROVIDER: 'keycloak',
        KEYCLOAK_URL: keycloak.baseUrl,
        KEYCLOAK_M2M_CLIENT_ID: 'm2m',
        KEYCLOAK_M2M_CLIENT_SECRET: 'all-in-one-secret-123456',
        MCP_SERVERS: 'currenttime',
        ...egressSet(1, 'atlassian', port),
      };
      const cli = startCli(['--all', '--json'], { cwd, env });
      await signInOverHttp(await cli.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
      const result = await cli.done;
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
        'ingress:ok',
        'agents:skipped',
        'agentcore:skipped',
        'egress:ok',
        'render:ok',
      ]);
      const ingress = readJson(tokenFile(cwd, 'ingress.json'));
      const egress = readJson(tokenFile(cwd));
      const servers = readJson(path.join(cwd, '.oauth-tokens', 'vscode_mcp.json')).mcp.servers;
      expect(Object.keys(servers)).toEqual(['mcpgw', 'atlassian', 'currenttime']);
      expect(servers.atlassian.headers).toEqual({
        'X-Authorization': `Bearer ${ingress.access_token}`,
        'X-Client-Id': 'm2m',
        'X-Keycloak-Realm': 'mcp-gateway',
        'X-Keycloak-URL': keycloak.baseUrl,
        Authorization: `Bearer ${egress.access_token}`,
        'X-Atlassian-Cloud-Id': 'cloud-0001',
      });
      expect(servers.currenttime.headers.Authorization).toBeUndefined();
    } finally {
      await keycloak.close();
    }
  });
});
