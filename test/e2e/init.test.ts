import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyPair, type ClientKeyPair } from '../helpers/client-keys.js';
import { startCliInPty, type PtyCli } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { startGateway, type Gateway } from '../servers/gateway.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

/**
 * `init` as a new user meets it: on a real pseudo-terminal against a Keycloak-shaped identity
 * provider and a gateway-like server (arrow keys, typed answers, a hidden secret, Ctrl-C), and
 * without a terminal, as a script would run it.
 */
const SECRET = 'init-secret-0123456789abcdef';
/** A secret with every character .env quoting could get wrong. */
const ODD_SECRET = `o"dd \\#$ se'cret \\n 42`;
const EGRESS_SECRET = 'egress-secret-abcdef0123456789';
const ENTER = '\r';
const DOWN = '\u001b[B';
let idp: LocalIdp;
let gateway: Gateway;
let key: ClientKeyPair;

beforeAll(async () => {
  key = clientKeyPair(makeWorkdir('mcpgw-init-key-'));
  idp = await startLocalIdp({
    shape: 'keycloak',
    clients: [
      { clientId: 'init-m2m', clientSecret: SECRET, groups: ['mcp-servers-unrestricted'] },
      { clientId: 'init-odd', clientSecret: ODD_SECRET },
      { clientId: 'init-key', jwks: [key.publicJwk] },
    ],
  });
  gateway = await startGateway({ issuer: idp.issuer, jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`, servers: ['mcpgw'] });
});
afterAll(async () => {
  await gateway.close();
  await idp.close();
});

/** The first answers on a terminal: Keycloak (the first choice), the test provider's URL, the realm (default: Enter). */
async function answerKeycloakAt(cli: PtyCli, realm = ENTER): Promise<void> {
  await cli.waitFor(/Identity provider for the gateway/);
  cli.type(ENTER);
  await cli.waitFor(/Keycloak's URL/);
  cli.type(`${idp.baseUrl}${ENTER}`);
  await cli.waitFor(/Realm/);
  cli.type(realm);
}

function gitFolder(): string {
  const cwd = makeWorkdir('mcpgw-init-');
  execFileSync('git', ['init', '-q', cwd]);
  return cwd;
}

/** The .env as the next run reads it (dotenv). */
const envOf = (cwd: string): Record<string, string> => parse(readFileSync(path.join(cwd, '.env'), 'utf8'));

describe('init on a terminal', () => {
  it('goes from an empty folder to a valid token and a .env at mode 600 (with an egress set), every answer checked, no secret shown', async () => {
    const cwd = gitFolder();
    const cli = startCliInPty(['init'], { cwd, env: {}, timeoutMs: 90_000 });
    await answerKeycloakAt(cli); // Keycloak (the first choice), the provider's URL, the default realm
    await cli.waitFor(/keycloak answers at .*issuer/);
    await cli.waitFor(/Client id/);
    // The default offered is mcp-gateway-m2m: erase it, type ours.
    cli.type(`\u0015init-m2m${ENTER}`);
    await cli.waitFor(/How does the client authenticate/);
    cli.type(ENTER); // a client secret
    await cli.waitFor(/Client secret \(not shown\)/);
    cli.type(`${SECRET}${ENTER}`);
    await cli.waitFor(/The gateway's URL/);
    cli.type(`${gateway.url}${ENTER}`);
    await cli.waitFor(/the gateway answers at/);
    await cli.waitFor(/Add egress sign-ins/);
    cli.type(`y${ENTER}`);
    await cli.waitFor(/Which providers\?/);
    cli.type(' '); // the first: Atlassian
    cli.type(ENTER);
    await cli.waitFor(/atlassian: OAuth client id/);
    cli.type(`atlassian-app${ENTER}`);
    await cli.waitFor(/atlassian: client secret/);
    cli.type(`${EGRESS_SECRET}${ENTER}`);
    await cli.waitFor(/atlassian: redirect URI/);
    cli.type(ENTER); // http://localhost:9999/callback
    const result = await cli.done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain(SECRET);
    expect(result.output).not.toContain(EGRESS_SECRET);
    expect(result.output).toContain('mcpgw-creds --egress-only          sign in to atlassian');
    expect(result.output).toMatch(/a token from keycloak, expires in \d+ min → \.oauth-tokens\/ingress\.json/);
    expect(result.output).toContain('mcpgw-creds install claude-code');
    expect(statSync(path.join(cwd, '.env')).mode & 0o777).toBe(0o600);
    expect(envOf(cwd)).toMatchObject({
      AUTH_PROVIDER: 'keycloak',
      KEYCLOAK_URL: idp.baseUrl,
      KEYCLOAK_REALM: 'mcp-gateway',
      KEYCLOAK_M2M_CLIENT_ID: 'init-m2m',
      KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
      REGISTRY_URL: gateway.url,
      EGRESS_PROVIDER_NAME_1: 'atlassian',
      EGRESS_OAUTH_CLIENT_ID_1: 'atlassian-app',
      EGRESS_OAUTH_CLIENT_SECRET_1: EGRESS_SECRET,
      EGRESS_OAUTH_REDIRECT_URI_1: 'http://localhost:9999/callback',
    });
    expect(readFileSync(path.join(cwd, '.gitignore'), 'utf8')).toBe('.env\n.oauth-tokens/\n');
    // The .env works: the next run reuses the token init obtained.
    const next = await runCli(['--ingress-only', '--json'], { cwd });
    expect(JSON.parse(next.stdout).steps[0]).toMatchObject({ step: 'ingress', status: 'cached' });
  });

  it('says what is wrong with an answer and asks again: a realm that does not exist, a gateway URL without a scheme, a wrong secret', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const cli = startCliInPty(['init'], { cwd, env: {}, timeoutMs: 90_000 });
    await answerKeycloakAt(cli, `\u0015no-such-realm${ENTER}`);
    await cli.waitFor(/the realm "no-such-realm" does not exist/);
    await cli.waitFor(/Change the answers\?/);
    const again = cli.waitForNew(/Keycloak's URL/);
    cli.type(ENTER); // yes
    await again;
    const realm = cli.waitForNew(/Realm[^\n]*no-such-realm/);
    cli.type(ENTER); // keep the URL given before
    await realm;
    cli.type(`\u0015mcp-gateway${ENTER}`);
    await cli.waitFor(/keycloak answers at/);
    await cli.waitFor(/Client id/);
    cli.type(`\u0015init-m2m${ENTER}`);
    await cli.waitFor(/How does the client authenticate/);
    cli.type(ENTER);
    await cli.waitFor(/Client secret/);
    cli.type(`wrong-secret-0123456789${ENTER}`);
    await cli.waitFor(/The gateway's URL/);
    cli.type(`gateway.example.com${ENTER}`); // no scheme: a configuration error, asked again
    await cli.waitFor(/REGISTRY_URL[^\n]*gateway\.example\.com/);
    const gatewayAgain = cli.waitForNew(/The gateway's URL/);
    await cli.waitFor(/Change the answers\?/);
    cli.type(ENTER);
    await gatewayAgain;
    cli.type(`\u0015${gateway.url}${ENTER}`);
    await cli.waitFor(/no token: .*invalid_client/);
    await cli.waitFor(/Change the client and try again\?/);
    const clientAgain = cli.waitForNew(/Client id[^\n]*init-m2m/);
    cli.type(ENTER);
    await clientAgain;
    const method = cli.waitForNew(/How does the client authenticate/);
    cli.type(ENTER); // init-m2m, offered again
    await method;
    const secret = cli.waitForNew(/Client secret/);
    cli.type(ENTER);
    await secret;
    cli.type(`${SECRET}${ENTER}`);
    await cli.waitFor(/Add egress sign-ins/);
    cli.type(ENTER); // no, the default
    const result = await cli.done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain(SECRET);
    expect(result.output).not.toContain('wrong-secret-0123456789');
    expect(envOf(cwd).KEYCLOAK_M2M_CLIENT_SECRET).toBe(SECRET);
    expect(existsSync(path.join(cwd, '.gitignore'))).toBe(false); // not a git repository
  });

  it('with a private key instead of a secret: the key file is checked by a signed token request, and named in .env', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const cli = startCliInPty(['init'], { cwd, env: {}, timeoutMs: 90_000 });
    await answerKeycloakAt(cli);
    await cli.waitFor(/Client id/);
    cli.type(`\u0015init-key${ENTER}`);
    await cli.waitFor(/How does the client authenticate/);
    cli.type(`${DOWN}${ENTER}`); // a private key
    await cli.waitFor(/Private key file/);
    cli.type(`${key.file}${ENTER}`);
    await cli.waitFor(/The gateway's URL/);
    cli.type(`${gateway.url}${ENTER}`);
    await cli.waitFor(/Add egress sign-ins/);
    cli.type(ENTER);
    const result = await cli.done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain('PRIVATE KEY');
    expect(result.output).toMatch(/a token from keycloak, expires in/);
    const env = envOf(cwd);
    expect(env).toMatchObject({
      KEYCLOAK_M2M_CLIENT_ID: 'init-key',
      INGRESS_CLIENT_AUTH: 'private_key_jwt',
      INGRESS_PRIVATE_KEY_FILE: key.file,
    });
    expect(env.KEYCLOAK_M2M_CLIENT_SECRET).toBeUndefined();
    const assertions = idp.tokenRequests().filter((request) => request.form?.get('client_assertion_type') !== undefined);
    expect(assertions.length).toBeGreaterThan(0);
  });

  it('Ctrl-C midway leaves no .env behind', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const cli = startCliInPty(['init'], { cwd, env: {} });
    await cli.waitFor(/Identity provider for the gateway/);
    cli.type(`${DOWN}${ENTER}`); // Amazon Cognito
    await cli.waitFor(/User pool id/);
    cli.type('us-east-1_Abc');
    cli.type('\u0003');
    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.output).toContain('init stopped: nothing written');
    expect(existsSync(path.join(cwd, '.env'))).toBe(false);
  });

  it('Ctrl-C after the token: .env not written, the token named, and already ignored by git', async () => {
    const cwd = gitFolder();
    const cli = startCliInPty(['init', '--auth-provider', 'keycloak', '--set', 'KEYCLOAK_M2M_CLIENT_ID=init-m2m'], { cwd, env: {} });
    await answerKeycloakAt(cli); // Keycloak is also preset by --auth-provider
    await cli.waitFor(/Client id[^\n]*init-m2m/); // the --set value, offered
    cli.type(ENTER);
    await cli.waitFor(/How does the client authenticate/);
    cli.type(ENTER);
    await cli.waitFor(/Client secret/);
    cli.type(`${SECRET}${ENTER}`);
    await cli.waitFor(/The gateway's URL/);
    cli.type(`${gateway.url}${ENTER}`);
    await cli.waitFor(/Add egress sign-ins/);
    cli.type('\u0003');
    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.output).toContain('init stopped: .env not written (the token it obtained is in');
    expect(existsSync(path.join(cwd, '.env'))).toBe(false);
    expect(existsSync(path.join(cwd, '.oauth-tokens/ingress.json'))).toBe(true);
    expect(readFileSync(path.join(cwd, '.gitignore'), 'utf8')).toBe('.env\n.oauth-tokens/\n');
    // No client configuration was rendered before .env existed.
    expect(existsSync(path.join(cwd, '.oauth-tokens/mcp.json'))).toBe(false);
  });

  it('asks before replacing an existing .env, and leaves it as it was when told no', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    writeFileSync(path.join(cwd, '.env'), 'KEEP=me\n', { mode: 0o600 });
    const cli = startCliInPty(['init'], { cwd, env: {} });
    await cli.waitFor(/Replace the \.env that is here/);
    cli.type(ENTER); // the default: no
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.output).toContain('nothing written');
    expect(readFileSync(path.join(cwd, '.env'), 'utf8')).toBe('KEEP=me\n');
  });
});

describe('init without a terminal', () => {
  const flags = (): string[] => [
    'init',
    '--auth-provider',
    'keycloak',
    '--set',
    `KEYCLOAK_URL=${idp.baseUrl}`,
    '--set',
    'KEYCLOAK_M2M_CLIENT_ID=init-m2m',
    '--registry-url',
    gateway.url,
  ];

  it('takes the answers from flags and the environment, never asks, and writes the same .env', async () => {
    const cwd = gitFolder();
    const result = await runCli(flags(), { cwd, env: { KEYCLOAK_M2M_CLIENT_SECRET: SECRET } });
    expect(result.code, result.stderr).toBe(0);
    expect(envOf(cwd)).toMatchObject({ AUTH_PROVIDER: 'keycloak', KEYCLOAK_M2M_CLIENT_ID: 'init-m2m', KEYCLOAK_M2M_CLIENT_SECRET: SECRET });
    expect(statSync(path.join(cwd, '.env')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(cwd, '.oauth-tokens/ingress.json')).mode & 0o777).toBe(0o600);
  });

  it('writes a secret with quotes, spaces, # and backslashes so that the next run sends exactly it', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const argv = flags().map((arg) => (arg === 'KEYCLOAK_M2M_CLIENT_ID=init-m2m' ? 'KEYCLOAK_M2M_CLIENT_ID=init-odd' : arg));
    const result = await runCli(argv, { cwd, env: { KEYCLOAK_M2M_CLIENT_SECRET: ODD_SECRET } });
    expect(result.code, result.stderr).toBe(0);
    expect(envOf(cwd).KEYCLOAK_M2M_CLIENT_SECRET).toBe(ODD_SECRET);
    const next = await runCli(['--ingress-only', '--force', '--json'], { cwd, secrets: [ODD_SECRET] });
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).steps[0]).toMatchObject({ step: 'ingress', status: 'ok' });
  });

  it('proves only what it writes: a setting of this shell that is not one of its answers is not used', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const shell = { KEYCLOAK_M2M_CLIENT_SECRET: SECRET, INGRESS_RESOURCE: 'https://unknown-resource.example' };
    // The same shell setting in a normal run: the provider refuses the resource.
    writeFileSync(path.join(cwd, 'probe.env'), `AUTH_PROVIDER=keycloak\nKEYCLOAK_URL=${idp.baseUrl}\nKEYCLOAK_M2M_CLIENT_ID=init-m2m\n`);
    const refused = await runCli(['--ingress-only', '--env-file', 'probe.env', '--tokens-dir', 'probe-tokens'], { cwd, env: shell });
    expect(refused.code).toBe(3);
    const result = await runCli(flags(), { cwd, env: shell });
    expect(result.code, result.stderr).toBe(0);
    expect(envOf(cwd).INGRESS_RESOURCE).toBeUndefined();
  });

  it('names every missing answer at once (exit 2) and makes no request', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const before = idp.requests.length;
    const result = await runCli(['init', '--auth-provider', 'keycloak'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('init needs KEYCLOAK_URL (--set KEYCLOAK_URL=... or the environment)');
    expect(result.stderr).toContain('KEYCLOAK_M2M_CLIENT_SECRET (in the environment)');
    expect(result.stderr).toContain('REGISTRY_URL (--registry-url or the environment)');
    expect(idp.requests.length).toBe(before);
    expect(existsSync(path.join(cwd, '.env'))).toBe(false);
    const none = await runCli(['init'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('init needs AUTH_PROVIDER (--auth-provider or the environment)');
  });

  it('refuses a secret on the command line, and an existing .env without --force', async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const argv = await runCli([...flags(), '--set', `KEYCLOAK_M2M_CLIENT_SECRET=${SECRET}`], { cwd, secrets: [SECRET] });
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('a secret on the command line is visible to every user of this machine');
    writeFileSync(path.join(cwd, '.env'), 'KEEP=me\n', { mode: 0o600 });
    const kept = await runCli(flags(), { cwd, env: { KEYCLOAK_M2M_CLIENT_SECRET: SECRET } });
    expect(kept.code).toBe(2);
    expect(kept.stderr).toContain('exists; init does not replace it unless asked');
    expect(readFileSync(path.join(cwd, '.env'), 'utf8')).toBe('KEEP=me\n');
    const forced = await runCli([...flags(), '--force'], { cwd, env: { KEYCLOAK_M2M_CLIENT_SECRET: SECRET } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(envOf(cwd).KEYCLOAK_M2M_CLIENT_ID).toBe('init-m2m');
  });

  it("a wrong secret is the identity provider's refusal (exit 3), and nothing is written", async () => {
    const cwd = makeWorkdir('mcpgw-init-');
    const result = await runCli(flags(), { cwd, env: { KEYCLOAK_M2M_CLIENT_SECRET: 'wrong-secret-0123456789' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid_client');
    expect(existsSync(path.join(cwd, '.env'))).toBe(false);
  });
});
