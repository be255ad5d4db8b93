import { readFileSync } from 'node:fs';
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
