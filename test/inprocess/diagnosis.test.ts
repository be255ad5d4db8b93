import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, TestClock } from '../helpers/in-process.js';
import { REPO } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startGateway, type Gateway } from '../servers/gateway.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

/**
 * `test`, `whoami` and `doctor` answering "why does my client get 401/403?": a gateway-like server
 * that applies a scopes.yml as the gateway's auth server does, and answers refusals as its nginx
 * does (no reason given), in front of a Keycloak-shaped provider with clients that have the right
 * groups, none, a group off by case, or no groups claim at all.
 */
const SECRET = 'diagnosis-secret-0123456789';
const SCOPES_FILE = path.join(REPO, 'test', 'fixtures', 'gateway-scopes.yml');
let idp: LocalIdp;
let gateway: Gateway;

beforeAll(async () => {
  idp = await startLocalIdp({
    shape: 'keycloak',
    clients: [
      { clientId: 'unrestricted', clientSecret: SECRET, groups: ['mcp-servers-unrestricted'] },
      { clientId: 'restricted', clientSecret: SECRET, groups: ['mcp-servers-restricted'] },
      { clientId: 'wrong-case', clientSecret: SECRET, groups: ['MCP-Servers-Restricted'] },
      { clientId: 'no-mapper', clientSecret: SECRET, groupsClaim: false },
    ],
  });
  gateway = await startGateway({
    issuer: idp.issuer,
    jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`,
    servers: ['mcpgw', 'atlassian'],
    egress: ['atlassian'],
    scopes: readFileSync(SCOPES_FILE, 'utf8'),
  });
});
afterAll(async () => {
  await gateway.close();
  await idp.close();
});

const env = (client: string, extra: Record<string, string> = {}): Record<string, string> => ({
  AUTH_PROVIDER: 'keycloak',
  KEYCLOAK_URL: idp.baseUrl,
  KEYCLOAK_M2M_CLIENT_ID: client,
  KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
  REGISTRY_URL: gateway.url,
  ...extra,
});

describe('test: an MCP session with a gateway server', () => {
  it('lists the tools on stdout, calls one, and says what it did on stderr', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const listed = await runInProcess(['test'], { cwd, env: env('unrestricted') });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe('echo\nwhoami\n');
    expect(listed.stderr).toContain(`mcpgw: connected to gateway-mcpgw 1.0.0 at ${gateway.url}/mcpgw/mcp`);
    expect(listed.stderr).toContain('X-Authorization, X-Client-Id, X-Keycloak-Realm, X-Keycloak-URL');

    const called = await runInProcess(['test', '--call', 'echo', '--args', '{"text": "hello"}'], { cwd, env: env('unrestricted') });
    expect(called.code, called.stderr).toBe(0);
    expect(called.stdout).toBe('mcpgw: hello\n');

    const json = await runInProcess(['test', '--call', 'whoami', '--json'], { cwd, env: env('unrestricted') });
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      server: 'mcpgw',
      tools: [{ name: 'echo' }, { name: 'whoami' }],
      call: {
        tool: 'whoami',
        isError: false,
        content: [{ type: 'text', text: '{"server":"mcpgw","groups":["mcp-servers-unrestricted"]}' }],
      },
    });
  });

  it('a tool the groups do not allow: exit 3, the grant that is missing, and where to add it', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    // whoami is granted to the restricted group; echo is not.
    expect((await runInProcess(['test', '--call', 'whoami'], { cwd, env: env('restricted') })).code).toBe(0);
    const exact = await runInProcess(['test', '--call', 'echo', '--args', '{"text": "x"}', '--scopes-file', SCOPES_FILE], {
      cwd,
      env: env('restricted'),
    });
    expect(exact.code).toBe(3);
    expect(exact.stdout).toBe('');
    expect(exact.stderr).toContain('the gateway refused tools/call of echo on mcpgw (HTTP 403)');
    expect(exact.stderr).toContain(
      'the groups mcp-servers-restricted map to mcp-servers-restricted/read, mcp-servers-restricted/execute, which do not allow tools/call of echo on mcpgw (they allow the tools whoami)',
    );
    expect(exact.stderr).toContain('hint: add echo to the tools of a scope those groups map to (for server mcpgw)');
    expect(exact.stderr).toContain('groups (claim groups): mcp-servers-restricted');

    // Without the scopes file: the cause as far as the token tells, and how to learn more.
    const blind = await runInProcess(['test', '--call', 'echo', '--args', '{"text": "x"}', '--json'], { cwd, env: env('restricted') });
    expect(blind.code).toBe(3);
    const report = JSON.parse(blind.stdout);
    expect(report).toMatchObject({ ok: false, exit_code: 3, error: { code: 'gateway_forbidden' } });
    expect(report.error.message).toContain('the gateway does not allow tools/call of echo on mcpgw for the groups mcp-servers-restricted');
    expect(report.error.hint).toContain('mcpgw-creds whoami --scopes-file');
    expect(report.error.facts).toContain('headers sent: X-Authorization, X-Client-Id, X-Keycloak-Realm, X-Keycloak-URL');
  });

  it('no groups claim: exit 3 at initialize, and the Keycloak mapper to add', async () => {
    const result = await runInProcess(['test'], { cwd: makeWorkdir('mcpgw-diag-'), env: env('no-mapper') });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('the gateway refused initialize on mcpgw (HTTP 403): the token carries no groups claim');
    expect(result.stderr).toContain(
      'hint: in Keycloak, give the client a "Group Membership" mapper (token claim name groups, full group path off',
    );
  });

  it('a group off by case: the group scopes.yml maps instead', async () => {
    const result = await runInProcess(['test', '--scopes-file', SCOPES_FILE], { cwd: makeWorkdir('mcpgw-diag-'), env: env('wrong-case') });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'the group "MCP-Servers-Restricted" maps to nothing in scopes.yml, which maps "mcp-servers-restricted" (group names are compared exactly)',
    );
    expect(result.stderr).toContain('hint: rename the group at the identity provider or in group_mappings');
  });

  it('a gateway that trusts another issuer: 401, the token valid by its own claims, what to compare', async () => {
    const other = await startGateway({
      issuer: 'https://idp.elsewhere.example/realms/x',
      jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`,
      servers: ['mcpgw'],
    });
    try {
      const result = await runInProcess(['test'], {
        cwd: makeWorkdir('mcpgw-diag-'),
        env: env('unrestricted', { REGISTRY_URL: other.url }),
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `(HTTP 401): the gateway did not accept the ingress token, which is valid by its own claims (issuer ${idp.issuer})`,
      );
      expect(result.stderr).toContain('check that the gateway trusts this issuer and realm');
    } finally {
      await other.close();
    }
  });

  it('a server behind egress without its token: the sign-in to run', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    // Not configured here: the gateway's 401 is explained, naming the egress set to add.
    const unconfigured = await runInProcess(['test', '--server', 'atlassian'], { cwd, env: env('unrestricted') });
    expect(unconfigured.code).toBe(3);
    expect(unconfigured.stderr).toContain('it needs an egress token too: configure an egress set with EGRESS_MCP_SERVER_NAME_N=atlassian');
    // Configured, never signed in: said before anything is sent.
    const unsigned = await runInProcess(['test', '--server', 'atlassian'], {
      cwd,
      env: env('unrestricted', { EGRESS_PROVIDER_NAME_1: 'atlassian', EGRESS_OAUTH_CLIENT_ID_1: 'atlassian-app' }),
    });
    expect(unsigned.code, unsigned.stderr).toBe(1);
    expect(unsigned.stderr).toContain('atlassian: no token yet; a sign-in is needed');
    expect(unsigned.stderr).toContain('hint: sign in with mcpgw-creds --egress-only --provider atlassian');
    expect(gateway.seen.filter((request) => request.server === 'atlassian')).toHaveLength(1);
  });

  it('an unreachable gateway exits 4; a bad --args is a usage error', async () => {
    const port = await closedPort();
    const down = await runInProcess(['test'], {
      cwd: makeWorkdir('mcpgw-diag-'),
      env: env('unrestricted', { REGISTRY_URL: `http://127.0.0.1:${port}` }),
    });
    expect(down.code).toBe(4);
    expect(down.stderr).toContain(`cannot reach the gateway at http://127.0.0.1:${port}/mcpgw/mcp`);
    const usage = await runInProcess(['test', '--call', 'echo', '--args', '[1]'], {
      cwd: makeWorkdir('mcpgw-diag-'),
      env: env('unrestricted'),
    });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--args must be a JSON object');
  });

  it('an expired token that nothing here can renew: said, with the fix', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const clock = new TestClock();
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('unrestricted'), clock })).code).toBe(0);
    clock.advance(7200);
    const result = await runInProcess(['test'], { cwd, env: { REGISTRY_URL: gateway.url }, clock });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the ingress token is about to expire, and nothing is configured to renew it');
    expect(result.stderr).toContain('set AUTH_PROVIDER and its variables');
  });
});

describe('whoami: the stored ingress token, unverified, and what its groups allow', () => {
  it("names the token's subject, client, audience, issuer, groups and expiry, and the grants of scopes.yml", async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('restricted') })).code).toBe(0);
    const result = await runInProcess(['whoami', '--scopes-file', SCOPES_FILE], { cwd, env: env('restricted') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('UNVERIFIED');
    expect(result.stdout).toMatch(/client {4}restricted\n/);
    expect(result.stdout).toContain(`issuer    ${idp.issuer}\n`);
    expect(result.stdout).toContain('groups    mcp-servers-restricted (claim groups)');
    expect(result.stdout).toContain('group mcp-servers-restricted → mcp-servers-restricted/read, mcp-servers-restricted/execute');
    expect(result.stdout).toContain('mcpgw: methods initialize, notifications/initialized, ping, tools/call, tools/list; tools whoami');
    expect(result.stderr).toBe('');

    const json = JSON.parse(
      (await runInProcess(['whoami', '--scopes-file', SCOPES_FILE, '--json'], { cwd, env: env('restricted') })).stdout,
    );
    expect(json).toMatchObject({
      verified: false,
      provider: 'keycloak_m2m',
      client: 'restricted',
      issuer: idp.issuer,
      groups: { claim: 'groups', groups: ['mcp-servers-restricted'] },
      access: { allowed: [{ server: 'mcpgw', tools: ['whoami'] }], undefined_scopes: [] },
      warnings: [],
    });
    expect(json.expires_in).toBeGreaterThan(0);
    expect(typeof json.subject).toBe('string');
  });

  it('a group off by case: maps to nothing, and the group it nearly is', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('wrong-case') })).code).toBe(0);
    const result = await runInProcess(['whoami', '--scopes-file', SCOPES_FILE], { cwd, env: env('wrong-case') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('group MCP-Servers-Restricted → nothing (did you mean "mcp-servers-restricted"?)');
    expect(result.stdout).toContain('allowed: nothing');
    expect(result.stderr).toContain(
      `the group "MCP-Servers-Restricted" maps to nothing in ${SCOPES_FILE}, which maps "mcp-servers-restricted" (group names are compared exactly)`,
    );
    expect(result.stderr).toContain('fix: rename the group at the identity provider or in group_mappings');
    const json = JSON.parse(
      (await runInProcess(['whoami', '--scopes-file', SCOPES_FILE, '--json'], { cwd, env: env('wrong-case') })).stdout,
    );
    expect(json.access.groups).toEqual([{ group: 'MCP-Servers-Restricted', scopes: [], did_you_mean: 'mcp-servers-restricted' }]);
  });

  it('no groups claim, and an expired token: each named with its fix', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const clock = new TestClock();
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('no-mapper'), clock })).code).toBe(0);
    const missing = await runInProcess(['whoami'], { cwd, env: env('no-mapper'), clock });
    expect(missing.code).toBe(0);
    expect(missing.stdout).toContain('groups    (no groups claim)');
    expect(missing.stderr).toContain('the token has no groups claim: the gateway maps groups to what a token may do, so it answers 403');
    expect(missing.stderr).toContain('fix: in Keycloak, give the client a "Group Membership" mapper');

    clock.advance(7200);
    const expired = await runInProcess(['whoami'], { cwd, env: env('no-mapper'), clock });
    expect(expired.stdout).toContain('(EXPIRED');
    expect(expired.stderr).toMatch(/the token expired at \S+: the gateway answers 401/);
    expect(expired.stderr).toContain('fix: run mcpgw-creds --ingress-only');
  });

  it('no token yet: exit 2 and the command that gets one; an unreadable scopes file: exit 2', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const none = await runInProcess(['whoami'], { cwd, env: env('restricted') });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('there is no ingress token yet');
    expect(none.stderr).toContain('hint: run mcpgw-creds --ingress-only');
    const bad = await runInProcess(['whoami', '--scopes-file', path.join(cwd, 'missing.yml')], { cwd, env: env('restricted') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('missing.yml cannot be read: ENOENT');
  });
});

describe('doctor: every check, one line per finding with its fix', () => {
  const doctor = async (cwd: string, environment: Record<string, string>, clock?: TestClock) => {
    const started = performance.now();
    const result = await runInProcess(['doctor'], { cwd, env: environment, ...(clock ? { clock } : {}) });
    return { ...result, seconds: (performance.now() - started) / 1000 };
  };

  it('all well: every area passes, exit 0, well under 5 s; --json has each finding', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('unrestricted') })).code).toBe(0);
    const result = await doctor(cwd, env('unrestricted'));
    expect(result.code, result.stdout).toBe(0);
    expect(result.seconds).toBeLessThan(5);
    for (const area of ['configuration', 'identity provider', 'ingress token', 'tokens directory', 'gateway'])
      expect(result.stdout).toContain(`\n${area}\n`.slice(area === 'configuration' ? 1 : 0));
    expect(result.stdout).toContain(`keycloak answers at ${idp.issuer}/.well-known/openid-configuration; issuer ${idp.issuer}`);
    expect(result.stdout).toContain('groups (claim groups): mcp-servers-unrestricted');
    expect(result.stdout).toContain('tools/list on mcpgw with the stored ingress token: 2 tools');
    expect(result.stdout).toMatch(/readable by you alone/);
    expect(result.stdout).toContain('No problems found.');

    const json = JSON.parse((await runInProcess(['doctor', '--json'], { cwd, env: env('unrestricted') })).stdout);
    expect(json).toMatchObject({ ok: true, errors: 0, warnings: 0 });
    expect(json.findings).toContainEqual({
      area: 'gateway',
      level: 'ok',
      message: 'tools/list on mcpgw with the stored ingress token: 2 tools',
    });
  });

  it('no groups claim: an error with the Keycloak mapper fix, and the gateway refusal explained; exit 1', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('no-mapper') })).code).toBe(0);
    const result = await doctor(cwd, env('no-mapper'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✖ no groups claim: the gateway maps groups to what a token may do, so it will answer 403');
    expect(result.stdout).toContain('→ in Keycloak, give the client a "Group Membership" mapper');
    expect(result.stdout).toContain('✖ the gateway refused initialize on mcpgw (HTTP 403): the token carries no groups claim');
    expect(result.stdout).toMatch(/2 errors, \d+ warnings?\./);
  });

  it('a wrong KEYCLOAK_REALM: the realm does not exist, realm names are case-sensitive', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const result = await doctor(cwd, env('unrestricted', { KEYCLOAK_REALM: 'MCP-Gateway' }));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✖ the realm "MCP-Gateway" does not exist at ${idp.baseUrl}`);
    expect(result.stdout).toContain('→ check KEYCLOAK_REALM: realm names are case-sensitive');
    // The main run says the same of its 404.
    const run = await runInProcess(['--ingress-only'], { cwd, env: env('unrestricted', { KEYCLOAK_REALM: 'MCP-Gateway' }) });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no such realm, tenant or path');
    // And test, which needs a fresh token before it can connect.
    const probe = await runInProcess(['test'], { cwd, env: env('unrestricted', { KEYCLOAK_REALM: 'MCP-Gateway' }) });
    expect(probe.code).toBe(3);
    expect(probe.stderr).toContain('check KEYCLOAK_URL and KEYCLOAK_REALM; there is no such realm, tenant or path there');
  });

  it('an expired token is a warning while configuration renews it, an error when nothing does', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const clock = new TestClock();
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('unrestricted'), clock })).code).toBe(0);
    clock.advance(7200);
    const renewable = await doctor(cwd, env('unrestricted'), clock);
    expect(renewable.stdout).toMatch(/! expired at \S+; it is renewed when next used\n {6}→ or renew it now: mcpgw-creds --ingress-only/);
    const stranded = await doctor(cwd, { REGISTRY_URL: gateway.url }, clock);
    expect(stranded.code).toBe(1);
    expect(stranded.stdout).toMatch(/✖ expired at \S+, and nothing is configured to renew it/);
  });

  it('a token file open to others, and a clock 10 minutes off: errors with their fixes', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    expect((await runInProcess(['--ingress-only'], { cwd, env: env('unrestricted') })).code).toBe(0);
    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    chmodSync(file, 0o644);
    const result = await doctor(cwd, env('unrestricted'), new TestClock(Date.now() + 600_000));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✖ ${file} can be read or written by others (mode 644)`);
    expect(result.stdout).toContain(`→ chmod 600 ${file}`);
    expect(result.stdout).toMatch(/✖ this clock is (599|600|601) s ahead of the provider's/);
    expect(result.stdout).toContain('timedatectl set-ntp true');
  });

  it('an egress callback port another program holds, an unreachable gateway, an installed entry changed by hand', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    const closed = await closedPort();
    const environment = env('unrestricted', {
      REGISTRY_URL: `http://127.0.0.1:${closed}`,
      EGRESS_PROVIDER_NAME_1: 'atlassian',
      EGRESS_OAUTH_CLIENT_ID_1: 'atlassian-app',
      EGRESS_OAUTH_REDIRECT_URI_1: `http://localhost:${port}/callback`,
    });
    try {
      expect((await runInProcess(['install', 'vscode'], { cwd, env: environment })).code).toBe(0);
      const file = path.join(cwd, '.vscode', 'mcp.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"bridge"', '"bridge", "--verbose"'));
      const result = await doctor(cwd, environment);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `! atlassian (set 1): port ${port} of http://localhost:${port}/callback is not free (another program listens there)`,
      );
      expect(result.stdout).toContain('→ stop what holds the port, or set EGRESS_OAUTH_REDIRECT_URI_1 to another loopback port');
      expect(result.stdout).toContain('! atlassian (atlassian): no token yet');
      expect(result.stdout).toContain(`✖ cannot reach http://127.0.0.1:${closed}/mcpgw/mcp: ECONNREFUSED`);
      expect(result.stdout).toMatch(/! VS Code: the entry mcpgw in \S+mcp\.json was changed since install; mcpgw-creds leaves it alone/);
      expect(result.stdout).not.toContain('VS Code: 1 entry');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('an installed entry whose .env file was removed since: an error naming the file; untouched entries pass', async () => {
    const cwd = makeWorkdir('mcpgw-diag-');
    const dotenv = path.join(cwd, '.env');
    writeFileSync(
      dotenv,
      Object.entries(env('unrestricted'))
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
      { mode: 0o600 },
    );
    expect((await runInProcess(['install', 'claude-code'], { cwd })).code).toBe(0);
    const before = await doctor(cwd, {});
    expect(before.stdout).toMatch(/✔ Claude Code: 1 entry in \S+\.mcp\.json, as installed/);
    rmSync(dotenv);
    const after = await doctor(cwd, {});
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(
      `✖ Claude Code: the entry mcpgw in ${path.join(cwd, '.mcp.json')} names ${dotenv}, which no longer exists`,
    );
    expect(after.stdout).toContain('→ restore it, or run mcpgw-creds install claude-code');
  });
});
