import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyPair, keyMaterial, type ClientKeyPair } from '../helpers/client-keys.js';
import { expectNoSecrets } from '../helpers/run-cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { jwtClaims, makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import type { ShapeName } from '../servers/idp-shapes.js';
import { startFaultServer, type FaultAction } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp, type LocalIdpOptions } from '../servers/local-idp.js';

/**
 * Ingress from each provider the gateway accepts besides Keycloak and Cognito, each against an
 * oidc-provider shaped like it (test/servers/idp-shapes.ts): its paths, the client authentication
 * it expects, its error answers and its access token claims.
 */
const SECRET = 'provider-m2m-secret-9f8e7d6c5b';
const CLIENT = 'gateway-m2m-client';
const KEY_CLIENT = 'gateway-m2m-keyed';
const GATEWAY = 'https://gateway.example.com';

interface ProviderCase {
  shape: ShapeName;
  idp: Partial<LocalIdpOptions>;
  /** The provider's variables, with the secret. */
  env(idp: LocalIdp): Record<string, string>;
  secretVariable: string;
  /** Each is removed in turn: exit 2 naming it, no request. */
  required: string[];
  /** The provider's own fields in ingress.json. */
  fields(idp: LocalIdp): Record<string, string>;
  /** HTTP Basic, or the secret in the body. */
  auth: 'basic' | 'post';
  checkClaims(claims: Record<string, unknown>, idp: LocalIdp): void;
  /** Where `status` finds the groups, as the gateway does. */
  groupsClaim: string;
  wrongSecret: string;
  /** Settings naming an audience, resource or scope the provider refuses, its words, and what the hint says to check. */
  wrongAudience: { env: Record<string, string | undefined>; says: string; hint: string };
  key: { kind: 'rsa' | 'ec'; format: 'pem' | 'jwk'; certificate?: boolean };
  /** Audiences an assertion names besides the token endpoint. */
  assertionAudiences(idp: LocalIdp): string[];
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const CASES: ProviderCase[] = [
  {
    shape: 'entra',
    idp: { tenant: TENANT, apis: [`api://${CLIENT}`, `api://${KEY_CLIENT}`] },
    env: (idp) => ({
      AUTH_PROVIDER: 'entra',
      ENTRA_TENANT_ID: TENANT,
      ENTRA_CLIENT_ID: CLIENT,
      ENTRA_CLIENT_SECRET: SECRET,
      ENTRA_LOGIN_BASE_URL: idp.baseUrl,
    }),
    secretVariable: 'ENTRA_CLIENT_SECRET',
    required: ['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET'],
    // Entra's answer names no scope: the one requested (RFC 6749 §5.1), the app's own API by default.
    fields: () => ({ tenant_id: TENANT, scope: `api://${CLIENT}/.default` }),
    auth: 'post',
    checkClaims: (claims, idp) => {
      // The default scope api://{client}/.default: the app's own API, its app roles and groups.
      expect(claims).toMatchObject({
        tid: TENANT,
        roles: ['Gateway.Tools'],
        groups: ['mcp-servers-restricted'],
        idtyp: 'app',
        aud: `api://${CLIENT}`,
      });
      expect(claims.iss).toBe(`${idp.baseUrl}/${TENANT}/v2.0`);
    },
    groupsClaim: 'groups',
    wrongSecret: 'AADSTS7000215: Invalid client secret provided.',
    wrongAudience: {
      env: { ENTRA_SCOPE: 'api://not-registered/.default' },
      says: 'AADSTS500011: The resource principal named api://not-registered was not found',
      hint: 'hint: check ENTRA_SCOPE (default api://{ENTRA_CLIENT_ID}/.default)',
    },
    // Entra finds the key by its certificate's thumbprint: the certificate follows the key in the file.
    key: { kind: 'rsa', format: 'pem', certificate: true },
    assertionAudiences: () => [],
  },
  {
    shape: 'okta',
    idp: { oktaAuthServerId: 'aus1gateway' },
    env: (idp) => ({
      AUTH_PROVIDER: 'okta',
      OKTA_DOMAIN: idp.baseUrl,
      OKTA_AUTH_SERVER_ID: 'aus1gateway',
      OKTA_M2M_CLIENT_ID: CLIENT,
      OKTA_M2M_CLIENT_SECRET: SECRET,
      OKTA_SCOPE: 'mcp-gateway/tools',
    }),
    secretVariable: 'OKTA_M2M_CLIENT_SECRET',
    required: ['OKTA_DOMAIN', 'OKTA_M2M_CLIENT_ID', 'OKTA_M2M_CLIENT_SECRET'],
    fields: (idp) => ({ okta_domain: idp.baseUrl, auth_server_id: 'aus1gateway' }),
    auth: 'basic',
    checkClaims: (claims, idp) => {
      expect(claims).toMatchObject({
        cid: CLIENT,
        scp: ['mcp-gateway/tools'],
        groups: ['mcp-servers-restricted'],
        aud: 'api://aus1gateway',
      });
      expect(claims.iss).toBe(`${idp.baseUrl}/oauth2/aus1gateway`);
    },
    groupsClaim: 'groups',
    wrongSecret: 'invalid_client: The client secret supplied for a confidential client is invalid.',
    // Okta wants a scope when its authorization server has no default one.
    wrongAudience: {
      env: { OKTA_SCOPE: undefined },
      says: "invalid_scope: The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      hint: 'hint: set OKTA_SCOPE to a custom scope of the authorization server',
    },
    key: { kind: 'ec', format: 'pem' },
    assertionAudiences: () => [],
  },
  {
    shape: 'auth0',
    idp: { apis: [GATEWAY], auth0GroupsClaim: 'https://mcp-gateway/groups' },
    env: (idp) => ({
      AUTH_PROVIDER: 'auth0',
      AUTH0_DOMAIN: idp.baseUrl,
      AUTH0_M2M_CLIENT_ID: CLIENT,
      AUTH0_M2M_CLIENT_SECRET: SECRET,
      AUTH0_AUDIENCE: GATEWAY,
    }),
    secretVariable: 'AUTH0_M2M_CLIENT_SECRET',
    required: ['AUTH0_DOMAIN', 'AUTH0_M2M_CLIENT_ID', 'AUTH0_M2M_CLIENT_SECRET', 'AUTH0_AUDIENCE'],
    fields: (idp) => ({ auth0_domain: idp.baseUrl, audience: GATEWAY }),
    auth: 'post',
    checkClaims: (claims, idp) => {
      // No scope asked: every permission the application holds on that API.
      expect(claims).toMatchObject({
        aud: GATEWAY,
        gty: 'client-credentials',
        azp: CLIENT,
        permissions: ['mcp-gateway', 'mcp-gateway/tools'],
        'https://mcp-gateway/groups': ['mcp-servers-restricted'],
      });
      expect(claims.iss).toBe(`${idp.baseUrl}/`);
    },
    groupsClaim: 'https://mcp-gateway/groups',
    wrongSecret: 'access_denied: Unauthorized',
    wrongAudience: {
      env: { AUTH0_AUDIENCE: 'https://elsewhere.example.com' },
      says: 'access_denied: Service not found: https://elsewhere.example.com',
      hint: 'AUTH0_AUDIENCE: the identifier of an API the application is authorized for',
    },
    key: { kind: 'rsa', format: 'jwk' },
    assertionAudiences: (idp) => [`${idp.baseUrl}/`],
  },
  {
    shape: 'pingfederate',
    idp: {},
    env: (idp) => ({
      AUTH_PROVIDER: 'pingfederate',
      PINGFEDERATE_BASE_URL: idp.baseUrl,
      PINGFEDERATE_M2M_CLIENT_ID: CLIENT,
      PINGFEDERATE_M2M_CLIENT_SECRET: SECRET,
      PINGFEDERATE_SCOPE: 'mcp-gateway/tools',
    }),
    secretVariable: 'PINGFEDERATE_M2M_CLIENT_SECRET',
    required: ['PINGFEDERATE_BASE_URL', 'PINGFEDERATE_M2M_CLIENT_ID', 'PINGFEDERATE_M2M_CLIENT_SECRET'],
    fields: (idp) => ({ pingfederate_url: idp.baseUrl }),
    auth: 'basic',
    checkClaims: (claims) =>
      expect(claims).toMatchObject({ client_id: CLIENT, groups: ['mcp-servers-restricted'], scope: 'mcp-gateway/tools' }),
    groupsClaim: 'groups',
    wrongSecret: 'invalid_client: Invalid client or client credentials.',
    wrongAudience: {
      env: { PINGFEDERATE_SCOPE: 'admin' },
      says: 'invalid_scope: The requested scope(s) must be blank or a subset of the provided scopes.',
      hint: 'hint: check PINGFEDERATE_SCOPE',
    },
    key: { kind: 'ec', format: 'jwk', certificate: true },
    assertionAudiences: () => [],
  },
  {
    shape: 'oidc',
    idp: { apis: ['https://gateway.example.com/mcp'] },
    env: (idp) => ({
      AUTH_PROVIDER: 'oidc',
      OIDC_ISSUER: idp.issuer,
      OIDC_M2M_CLIENT_ID: CLIENT,
      OIDC_M2M_CLIENT_SECRET: SECRET,
      OIDC_SCOPE: 'mcp-gateway',
    }),
    secretVariable: 'OIDC_M2M_CLIENT_SECRET',
    required: ['OIDC_ISSUER', 'OIDC_M2M_CLIENT_ID', 'OIDC_M2M_CLIENT_SECRET'],
    fields: (idp) => ({ issuer: idp.issuer }),
    auth: 'post',
    checkClaims: (claims, idp) =>
      expect(claims).toMatchObject({ iss: idp.issuer, azp: CLIENT, groups: ['mcp-servers-restricted'], scope: 'mcp-gateway' }),
    groupsClaim: 'groups',
    wrongSecret: 'invalid_client: client authentication failed',
    // RFC 8707: a resource the provider does not serve.
    wrongAudience: {
      env: { INGRESS_RESOURCE: 'https://unknown.example.com/mcp' },
      says: 'invalid_target',
      hint: 'hint: check INGRESS_RESOURCE: the provider does not serve the resource https://unknown.example.com/mcp',
    },
    key: { kind: 'rsa', format: 'pem' },
    assertionAudiences: () => [],
  },
];

const COMMON_KEYS = [
  'access_token',
  'client_id',
  'expires_at',
  'expires_at_human',
  'provider',
  'saved_at',
  'scope',
  'token_type',
  'token_url',
];

function without(env: Record<string, string>, changes: Record<string, string | undefined>): Record<string, string> {
  const merged = Object.entries({ ...env, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return Object.fromEntries(merged);
}

describe.each(CASES)('ingress from $shape', (provider) => {
  let idp: LocalIdp;
  let key: ClientKeyPair;
  const keys = makeWorkdir('mcpgw-keys-');

  beforeAll(async () => {
    key = clientKeyPair(keys, { ...provider.key, kid: `${provider.shape}-key-2026` });
    idp = await startLocalIdp({
      shape: provider.shape,
      ...provider.idp,
      clients: [
        { clientId: CLIENT, clientSecret: SECRET, groups: ['mcp-servers-restricted'], roles: ['Gateway.Tools'] },
        { clientId: KEY_CLIENT, jwks: [key.publicJwk], groups: ['mcp-servers-unrestricted'] },
      ],
    });
  });
  afterAll(() => idp.close());

  it('gets a token at the provider’s endpoint, writes its fields, and renders and prints its headers', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const before = idp.tokenRequests().length;
    const env = { ...provider.env(idp), REGISTRY_URL: GATEWAY };
    const result = await runInProcess(['--ingress-only'], { cwd, env });
    expect(result.code, result.stderr).toBe(0);

    const requests = idp.tokenRequests().slice(before);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    if (provider.auth === 'basic') {
      expect(request?.authorization).toMatch(/^Basic /);
      expect(request?.form?.has('client_secret')).toBe(false);
    } else {
      expect(request?.authorization).toBeUndefined();
      expect(request?.form?.get('client_secret')).toBe(SECRET);
    }

    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    const record = readJson(file);
    const fields = provider.fields(idp);
    expect(Object.keys(record).sort()).toEqual([...new Set([...COMMON_KEYS, ...Object.keys(fields)])].sort());
    expect(record).toMatchObject({ provider: `${provider.shape}_m2m`, client_id: CLIENT, token_url: idp.tokenEndpoint, ...fields });
    expect(modeOf(file)).toBe(0o600);
    provider.checkClaims(jwtClaims(record.access_token), idp);

    const expected = { 'X-Authorization': `Bearer ${record.access_token}`, 'X-Client-Id': CLIENT };
    const headers = await runInProcess(['headers', '--server', 'mcpgw'], { cwd, env, stdoutMayHoldSecrets: true });
    expect(headers.code, headers.stderr).toBe(0);
    expect(JSON.parse(headers.stdout)).toEqual(expected);
    expect(readJson(path.join(cwd, '.oauth-tokens', 'mcp.json')).mcpServers.mcpgw.headers).toEqual(expected);
    expect(readJson(path.join(cwd, '.oauth-tokens', 'vscode_mcp.json')).mcp.servers.mcpgw).toEqual({
      type: 'http',
      url: `${GATEWAY}/mcpgw/mcp`,
      headers: expected,
    });
    const status = await runInProcess(['status', '--json'], { cwd, env });
    expect(JSON.parse(status.stdout).tokens[0]).toMatchObject({
      provider: `${provider.shape}_m2m`,
      groups_unverified: ['mcp-servers-restricted'],
      groups_claim: provider.groupsClaim,
    });

    // headers reused the fresh token, and so does the next run.
    const again = await runInProcess(['--ingress-only', '--json'], { cwd, env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).steps[0]).toMatchObject({ step: 'ingress', status: 'cached' });
    expect(idp.tokenRequests().length - before).toBe(1);

    // logout: these providers revoke no client-credentials token; it is deleted, with a note.
    const logout = await runInProcess(['logout', '--all', '--json'], { cwd, env });
    expect(logout.code, logout.stderr).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('exits 3 with the provider’s own words on a wrong secret, and writes nothing', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const env = without(provider.env(idp), { [provider.secretVariable]: 'not-the-secret-0123456' });
    const result = await runInProcess(['--ingress-only'], { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(provider.wrongSecret);
    expect(result.stderr).toContain(provider.secretVariable);
    // On one line: Entra's CRLF-separated trace lines are joined, not shown as escapes.
    expect(result.stderr).not.toContain('\\x0d');
    expect(existsSync(path.join(cwd, '.oauth-tokens', 'ingress.json'))).toBe(false);
  });

  it('exits 3 with the provider’s own words on an audience, resource or scope it refuses', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const result = await runInProcess(['--ingress-only'], { cwd, env: without(provider.env(idp), provider.wrongAudience.env) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(provider.wrongAudience.says);
    expect(result.stderr).toContain(provider.wrongAudience.hint);
    expect(existsSync(path.join(cwd, '.oauth-tokens', 'ingress.json'))).toBe(false);
  });

  it('exits 2 naming each missing variable, before any request', async () => {
    const before = idp.requests.length;
    for (const variable of provider.required) {
      const result = await runInProcess(['--ingress-only'], {
        cwd: makeWorkdir('mcpgw-provider-'),
        env: without(provider.env(idp), { [variable]: undefined }),
      });
      expect(result.code, variable).toBe(2);
      expect(result.stderr).toContain(`${variable} is not set`);
    }
    expect(idp.requests.length).toBe(before);
  });

  it('signs an RFC 7523 assertion with a key file instead of sending a secret (private_key_jwt)', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const before = idp.tokenRequests().length;
    const env = without(provider.env(idp), {
      [provider.secretVariable]: undefined,
      [provider.required[1] as string]: KEY_CLIENT,
      INGRESS_CLIENT_AUTH: 'private_key_jwt',
      INGRESS_PRIVATE_KEY_FILE: key.file,
      ...(provider.key.format === 'pem' ? { INGRESS_KEY_ID: key.kid } : {}),
    });
    const result = await runInProcess(['--ingress-only', '--verbose'], { cwd, env, secrets: keyMaterial(key.file) });
    expect(result.code, result.stderr).toBe(0);
    const [request] = idp.tokenRequests().slice(before);
    // The assertion is a credential for its minute of life: never printed either.
    expectNoSecrets({ ...result, ms: 0 }, [request?.form?.get('client_assertion') as string]);
    expect(request?.authorization).toBeUndefined();
    expect(request?.form?.has('client_secret')).toBe(false);
    expect(request?.form?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = request?.form?.get('client_assertion') as string;
    const header = JSON.parse(Buffer.from(assertion.split('.')[0] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: provider.key.kind === 'rsa' ? 'RS256' : 'ES256', kid: key.kid });
    if (provider.key.certificate) {
      expect(header).toMatchObject({ x5t: key.publicJwk.x5t, 'x5t#S256': key.publicJwk['x5t#S256'] });
    } else {
      expect(header).not.toHaveProperty('x5t');
    }
    const claims = jwtClaims(assertion);
    expect(claims).toMatchObject({ iss: KEY_CLIENT, sub: KEY_CLIENT });
    const audiences = [idp.tokenEndpoint, ...provider.assertionAudiences(idp)];
    expect(claims.aud).toEqual(audiences.length === 1 ? audiences[0] : audiences);
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp - claims.iat).toBeGreaterThan(0);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(300);
    const record = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json'));
    expect(record.client_id).toBe(KEY_CLIENT);
    expect(JSON.stringify(record)).not.toContain('BEGIN');
  });
});

describe('provider details', () => {
  it('oidc: a discovery document naming another issuer stops the run (exit 1) before any token request', async () => {
    const idp = await startLocalIdp({ shape: 'oidc', clients: [{ clientId: CLIENT, clientSecret: SECRET }] });
    try {
      const result = await runInProcess(['--ingress-only'], {
        cwd: makeWorkdir('mcpgw-provider-'),
        env: { AUTH_PROVIDER: 'oidc', OIDC_ISSUER: `${idp.issuer}/`, OIDC_M2M_CLIENT_ID: CLIENT, OIDC_M2M_CLIENT_SECRET: SECRET },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`"${idp.issuer}"`);
      expect(result.stderr).toContain(`${idp.issuer}/`);
      expect(idp.requests.map((request) => request.path)).toEqual(['/idp/.well-known/openid-configuration']);
    } finally {
      await idp.close();
    }
  });

  it('oidc: a discovery document that is missing, not JSON, without token_endpoint, or pointing at plain http elsewhere', async () => {
    const script: FaultAction[] = [{ kind: 'status', status: 404, body: 'Not Found', contentType: 'text/plain' }];
    const fault = await startFaultServer(script);
    const issuer = `${fault.url}/idp`;
    const run = (): Promise<{ code: number; stderr: string }> =>
      runInProcess(['--ingress-only'], {
        cwd: makeWorkdir('mcpgw-provider-'),
        env: { AUTH_PROVIDER: 'oidc', OIDC_ISSUER: issuer, OIDC_M2M_CLIENT_ID: CLIENT, OIDC_M2M_CLIENT_SECRET: SECRET },
      });
    const answer = (document: Record<string, unknown>): FaultAction => ({
      kind: 'status',
      status: 200,
      body: JSON.stringify(document),
      contentType: 'application/json',
    });
    try {
      const missing = await run();
      expect(missing.code).toBe(4);
      expect(missing.stderr).toContain(`cannot read the discovery document ${issuer}/.well-known/openid-configuration: HTTP 404`);

      script[0] = { kind: 'status', status: 200, body: '<html>login</html>', contentType: 'text/html' };
      expect((await run()).code).toBe(4);

      script[0] = answer({ issuer });
      const incomplete = await run();
      expect(incomplete.code).toBe(4);
      expect(incomplete.stderr).toContain('names no token_endpoint');

      script[0] = answer({ issuer, token_endpoint: 'http://203.0.113.9/token' });
      const plain = await run();
      expect(plain.code).toBe(1);
      expect(plain.stderr).toContain('names a token endpoint that is not https: http://203.0.113.9/token');
      // Only discovery requests reached the server; no secret went anywhere.
      expect(fault.bodies.every((body) => body === '')).toBe(true);
    } finally {
      await fault.close();
    }
  });

  it('INGRESS_RESOURCE goes out as RFC 8707 `resource`, becomes the token’s audience, and is recorded: another resource means another token', async () => {
    const resource = 'https://gateway.example.com/mcp';
    const other = 'https://gateway-eu.example.com/mcp';
    const idp = await startLocalIdp({ shape: 'oidc', apis: [resource, other], clients: [{ clientId: CLIENT, clientSecret: SECRET }] });
    try {
      const cwd = makeWorkdir('mcpgw-provider-');
      const env = {
        AUTH_PROVIDER: 'oidc',
        OIDC_ISSUER: idp.issuer,
        OIDC_M2M_CLIENT_ID: CLIENT,
        OIDC_M2M_CLIENT_SECRET: SECRET,
        INGRESS_RESOURCE: resource,
      };
      const result = await runInProcess(['--ingress-only'], { cwd, env });
      expect(result.code, result.stderr).toBe(0);
      expect(idp.tokenRequests()[0]?.form?.get('resource')).toBe(resource);
      const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
      expect(readJson(file).resource).toBe(resource);
      expect(jwtClaims(readJson(file).access_token).aud).toBe(resource);

      expect((await runInProcess(['--ingress-only'], { cwd, env })).code).toBe(0);
      expect(idp.tokenRequests()).toHaveLength(1);
      expect((await runInProcess(['--ingress-only'], { cwd, env: { ...env, INGRESS_RESOURCE: other } })).code).toBe(0);
      expect(idp.tokenRequests()).toHaveLength(2);
      expect(jwtClaims(readJson(file).access_token).aud).toBe(other);
      // Unset: a token for a resource is not the token asked for now.
      expect((await runInProcess(['--ingress-only'], { cwd, env: without(env, { INGRESS_RESOURCE: undefined }) })).code).toBe(0);
      expect(idp.tokenRequests()).toHaveLength(3);
      expect(readJson(file)).not.toHaveProperty('resource');
      // OIDC_AUDIENCE is recorded and compared the same way.
      const withAudience = without(env, { INGRESS_RESOURCE: undefined, OIDC_AUDIENCE: 'gateway' });
      expect((await runInProcess(['--ingress-only'], { cwd, env: withAudience })).code).toBe(0);
      expect(readJson(file).audience).toBe('gateway');
      expect((await runInProcess(['--ingress-only'], { cwd, env: withAudience })).code).toBe(0);
      expect(idp.tokenRequests()).toHaveLength(4);
      expect(idp.tokenRequests()[3]?.form?.get('audience')).toBe('gateway');
    } finally {
      await idp.close();
    }
  });

  it('a token from another token endpoint is not reused (ENTRA_LOGIN_BASE_URL moved to another cloud)', async () => {
    const first = await startLocalIdp({
      shape: 'entra',
      tenant: TENANT,
      apis: [`api://${CLIENT}`],
      clients: [{ clientId: CLIENT, clientSecret: SECRET }],
    });
    const second = await startLocalIdp({
      shape: 'entra',
      tenant: TENANT,
      apis: [`api://${CLIENT}`],
      clients: [{ clientId: CLIENT, clientSecret: SECRET }],
    });
    try {
      const cwd = makeWorkdir('mcpgw-provider-');
      const env = {
        AUTH_PROVIDER: 'entra',
        ENTRA_TENANT_ID: TENANT,
        ENTRA_CLIENT_ID: CLIENT,
        ENTRA_CLIENT_SECRET: SECRET,
        ENTRA_LOGIN_BASE_URL: first.baseUrl,
      };
      expect((await runInProcess(['--ingress-only'], { cwd, env })).code).toBe(0);
      expect((await runInProcess(['--ingress-only'], { cwd, env: { ...env, ENTRA_LOGIN_BASE_URL: second.baseUrl } })).code).toBe(0);
      expect([first.tokenRequests().length, second.tokenRequests().length]).toEqual([1, 1]);
      expect(readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).token_url).toBe(second.tokenEndpoint);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('auth0: status finds groups in a namespaced claim of another name', async () => {
    const idp = await startLocalIdp({
      shape: 'auth0',
      apis: [GATEWAY],
      auth0GroupsClaim: 'https://example.com/teams',
      clients: [{ clientId: CLIENT, clientSecret: SECRET, groups: ['mcp-servers-restricted'] }],
    });
    try {
      const cwd = makeWorkdir('mcpgw-provider-');
      const env = {
        AUTH_PROVIDER: 'auth0',
        AUTH0_DOMAIN: idp.baseUrl,
        AUTH0_M2M_CLIENT_ID: CLIENT,
        AUTH0_M2M_CLIENT_SECRET: SECRET,
        AUTH0_AUDIENCE: GATEWAY,
      };
      expect((await runInProcess(['--ingress-only'], { cwd, env })).code).toBe(0);
      const status = JSON.parse((await runInProcess(['status', '--json'], { cwd, env })).stdout);
      expect(status.tokens[0]).toMatchObject({ groups_claim: 'https://example.com/teams', groups_unverified: ['mcp-servers-restricted'] });
    } finally {
      await idp.close();
    }
  });

  it('entra: an app with app roles and no groups shows its roles where the gateway reads them', async () => {
    const idp = await startLocalIdp({
      shape: 'entra',
      tenant: TENANT,
      apis: [`api://${CLIENT}`],
      clients: [{ clientId: CLIENT, clientSecret: SECRET, roles: ['Gateway.Tools'] }],
    });
    try {
      const cwd = makeWorkdir('mcpgw-provider-');
      const env = {
        AUTH_PROVIDER: 'entra',
        ENTRA_TENANT_ID: TENANT,
        ENTRA_CLIENT_ID: CLIENT,
        ENTRA_CLIENT_SECRET: SECRET,
        ENTRA_LOGIN_BASE_URL: idp.baseUrl,
      };
      expect((await runInProcess(['--ingress-only'], { cwd, env })).code).toBe(0);
      const status = await runInProcess(['status'], { cwd, env });
      expect(status.stdout).toContain('groups:   Gateway.Tools   (claim roles, read from the token, not verified)');
    } finally {
      await idp.close();
    }
  });

  it('okta: without OKTA_AUTH_SERVER_ID the org authorization server’s /oauth2/v1/token is used, which takes a signed key only', async () => {
    const keys = makeWorkdir('mcpgw-keys-');
    const key = clientKeyPair(keys, { kid: 'org-key' });
    const idp = await startLocalIdp({
      shape: 'okta',
      oktaAuthServerId: null,
      clients: [
        { clientId: CLIENT, clientSecret: SECRET },
        { clientId: KEY_CLIENT, jwks: [key.publicJwk] },
      ],
    });
    try {
      const env = {
        AUTH_PROVIDER: 'okta',
        OKTA_DOMAIN: idp.baseUrl,
        OKTA_M2M_CLIENT_ID: CLIENT,
        OKTA_M2M_CLIENT_SECRET: SECRET,
        OKTA_SCOPE: 'mcp-gateway',
      };
      const secret = await runInProcess(['--ingress-only'], { cwd: makeWorkdir('mcpgw-provider-'), env });
      expect(secret.stderr).toContain(
        "OKTA_AUTH_SERVER_ID is not set: Okta's org authorization server takes client credentials only with private_key_jwt",
      );
      expect(secret.code).toBe(3);
      expect(secret.stderr).toContain('must use the private_key_jwt token_endpoint_auth_method');
      expect(secret.stderr).toContain(
        "set OKTA_AUTH_SERVER_ID to the gateway's custom authorization server, or INGRESS_CLIENT_AUTH=private_key_jwt",
      );

      const cwd = makeWorkdir('mcpgw-provider-');
      const signed = await runInProcess(['--ingress-only'], {
        cwd,
        env: without(env, {
          OKTA_M2M_CLIENT_SECRET: undefined,
          OKTA_M2M_CLIENT_ID: KEY_CLIENT,
          INGRESS_CLIENT_AUTH: 'private_key_jwt',
          INGRESS_PRIVATE_KEY_FILE: key.file,
        }),
      });
      expect(signed.code, signed.stderr).toBe(0);
      expect(signed.stderr).not.toContain('OKTA_AUTH_SERVER_ID is not set');
      expect(idp.tokenRequests().map((request) => request.path)).toEqual(['/oauth2/v1/token', '/oauth2/v1/token']);
      const record = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json'));
      expect(record).toMatchObject({ provider: 'okta_m2m', okta_domain: idp.baseUrl, token_url: `${idp.baseUrl}/oauth2/v1/token` });
      expect(record).not.toHaveProperty('auth_server_id');
    } finally {
      await idp.close();
    }
  });

  it('entra: a key without its certificate stops before any request (exit 2); a certificate Entra does not know is AADSTS700027 (exit 3)', async () => {
    const keys = makeWorkdir('mcpgw-keys-');
    const registered = clientKeyPair(keys, { kid: 'registered', certificate: true });
    const bare = clientKeyPair(makeWorkdir('mcpgw-keys-'), { kid: 'registered' });
    // Another key and certificate, as after a rotation the app registration was not told about.
    const other = clientKeyPair(makeWorkdir('mcpgw-keys-'), { kid: 'registered', certificate: true });
    const idp = await startLocalIdp({
      shape: 'entra',
      tenant: TENANT,
      apis: [`api://${KEY_CLIENT}`],
      clients: [{ clientId: KEY_CLIENT, jwks: [registered.publicJwk] }],
    });
    try {
      const env = {
        AUTH_PROVIDER: 'entra',
        ENTRA_TENANT_ID: TENANT,
        ENTRA_CLIENT_ID: KEY_CLIENT,
        ENTRA_LOGIN_BASE_URL: idp.baseUrl,
        INGRESS_CLIENT_AUTH: 'private_key_jwt',
      };
      const noCertificate = await runInProcess(['--ingress-only'], {
        cwd: makeWorkdir('mcpgw-provider-'),
        env: { ...env, INGRESS_PRIVATE_KEY_FILE: bare.file },
      });
      expect(noCertificate.code).toBe(2);
      expect(noCertificate.stderr).toContain('holds no certificate; Entra ID finds the signing key by its certificate');
      expect(idp.requests).toHaveLength(0);

      const unknown = await runInProcess(['--ingress-only'], {
        cwd: makeWorkdir('mcpgw-provider-'),
        env: { ...env, INGRESS_PRIVATE_KEY_FILE: other.file },
      });
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toContain('AADSTS700027: The certificate with identifier used to sign the client assertion is not registered');
      expect(unknown.stderr).toContain('INGRESS_PRIVATE_KEY_FILE');

      const known = await runInProcess(['--ingress-only'], {
        cwd: makeWorkdir('mcpgw-provider-'),
        env: { ...env, INGRESS_PRIVATE_KEY_FILE: registered.file },
      });
      expect(known.code, known.stderr).toBe(0);
    } finally {
      await idp.close();
    }
  });

  it('refuses a key file whose certificate is another key’s (exit 2)', async () => {
    const dir = makeWorkdir('mcpgw-keys-');
    const one = clientKeyPair(dir, { kid: 'one' });
    const two = clientKeyPair(dir, { kid: 'two', certificate: true });
    const mixed = path.join(dir, 'mixed.pem');
    const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+/.exec(readFileSync(two.file, 'utf8'))?.[0] ?? '';
    writeFileSync(mixed, readFileSync(one.file, 'utf8') + certificate, { mode: 0o600 });
    const result = await runInProcess(['--ingress-only'], {
      cwd: makeWorkdir('mcpgw-provider-'),
      env: {
        AUTH_PROVIDER: 'oidc',
        OIDC_ISSUER: 'http://127.0.0.1:9/idp',
        OIDC_M2M_CLIENT_ID: KEY_CLIENT,
        INGRESS_CLIENT_AUTH: 'private_key_jwt',
        INGRESS_PRIVATE_KEY_FILE: mixed,
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("carries a certificate (CN=two) that is not the private key's");
  });

  it('after a reset or a 5xx, a signed request is sent again only with a new assertion (its jti is single-use)', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const key = clientKeyPair(cwd, { kid: 'retry' });
    const idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: KEY_CLIENT, jwks: [key.publicJwk] }] });
    const fault = await startFaultServer([
      { kind: 'reset' },
      { kind: 'status', status: 503, body: '{"error":"temporarily_unavailable"}', contentType: 'application/json' },
      { kind: 'proxy', target: idp.baseUrl, keepHost: true },
    ]);
    try {
      const result = await runInProcess(['--ingress-only'], {
        cwd,
        env: {
          AUTH_PROVIDER: 'keycloak',
          KEYCLOAK_URL: fault.url,
          KEYCLOAK_M2M_CLIENT_ID: KEY_CLIENT,
          INGRESS_CLIENT_AUTH: 'private_key_jwt',
          INGRESS_PRIVATE_KEY_FILE: key.file,
        },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(fault.hits).toBe(3);
      const jtis = fault.bodies.map((body) => jwtClaims(new URLSearchParams(body).get('client_assertion') as string).jti as string);
      expect(new Set(jtis).size).toBe(3);
    } finally {
      await fault.close();
      await idp.close();
    }
  });

  it('refuses a private key file others can read (exit 2), before any request; a relative path is the working directory’s, or the .env file’s', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const loose = clientKeyPair(cwd, { kid: 'loose', mode: 0o644 });
    const idp = await startLocalIdp({ shape: 'pingfederate', clients: [{ clientId: KEY_CLIENT, jwks: [loose.publicJwk] }] });
    try {
      const env = {
        AUTH_PROVIDER: 'pingfederate',
        PINGFEDERATE_BASE_URL: idp.baseUrl,
        PINGFEDERATE_M2M_CLIENT_ID: KEY_CLIENT,
        INGRESS_CLIENT_AUTH: 'private_key_jwt',
        INGRESS_PRIVATE_KEY_FILE: path.basename(loose.file),
        INGRESS_KEY_ID: 'loose',
      };
      const refused = await runInProcess(['--ingress-only'], { cwd, env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('can be read by others (mode 644)');
      expect(refused.stderr).toContain(`chmod 600 ${loose.file}`);
      expect(idp.tokenRequests()).toHaveLength(0);

      chmodSync(loose.file, 0o600);
      const accepted = await runInProcess(['--ingress-only'], { cwd, env });
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(idp.tokenRequests()).toHaveLength(1);

      // Set in a .env file, a relative path is that file's neighbour: a helper started elsewhere
      // with --env-file finds the key.
      const elsewhere = makeWorkdir('mcpgw-provider-');
      writeFileSync(
        path.join(cwd, 'ci.env'),
        Object.entries(env)
          .map(([name, value]) => `${name}=${value}`)
          .join('\n'),
        { mode: 0o600 },
      );
      const helper = await runInProcess(['--ingress-only', '--force', '--env-file', path.join(cwd, 'ci.env')], { cwd: elsewhere, env: {} });
      expect(helper.code, helper.stderr).toBe(0);
      expect(idp.tokenRequests()).toHaveLength(2);
    } finally {
      await idp.close();
    }
  });

  it('an agent’s unreadable key stops the whole run before any request, the ingress one included (exit 2)', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const dir = path.join(cwd, '.oauth-tokens');
    mkdirSync(dir, { mode: 0o700 });
    const idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: CLIENT, clientSecret: SECRET }] });
    try {
      writeFileSync(path.join(dir, 'agent-late.json'), JSON.stringify({ client_id: 'agent-late', private_key_file: 'missing-key.pem' }), {
        mode: 0o600,
      });
      const result = await runInProcess([], {
        cwd,
        env: { AUTH_PROVIDER: 'keycloak', KEYCLOAK_URL: idp.baseUrl, KEYCLOAK_M2M_CLIENT_ID: CLIENT, KEYCLOAK_M2M_CLIENT_SECRET: SECRET },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `"private_key_file" (and "key_id") in agent-late.json (${path.join(dir, 'missing-key.pem')}) cannot be read: ENOENT`,
      );
      expect(idp.requests).toHaveLength(0);
    } finally {
      await idp.close();
    }
  });

  it('an agent file may name a private_key_file (next to it) and key_id instead of a client_secret', async () => {
    const cwd = makeWorkdir('mcpgw-provider-');
    const dir = path.join(cwd, '.oauth-tokens');
    mkdirSync(dir, { mode: 0o700 });
    const key = clientKeyPair(dir, { kind: 'ec', kid: 'agent-key' });
    const idp = await startLocalIdp({
      shape: 'keycloak',
      clients: [{ clientId: 'agent-signed', jwks: [key.publicJwk], groups: ['mcp-servers-restricted'] }],
    });
    try {
      writeFileSync(
        path.join(dir, 'agent-signed.json'),
        JSON.stringify({
          client_id: 'agent-signed',
          private_key_file: path.basename(key.file),
          key_id: 'agent-key',
          keycloak_url: idp.baseUrl,
        }),
        { mode: 0o600 },
      );
      const result = await runInProcess(['--agents-only'], { cwd, env: {} });
      expect(result.code, result.stderr).toBe(0);
      const [request] = idp.tokenRequests();
      expect(request?.form?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(request?.form?.has('client_secret')).toBe(false);
      const record = readJson(path.join(dir, 'agent-signed-token.json'));
      expect(record).toMatchObject({ provider: 'keycloak_m2m', agent_id: 'signed', client_id: 'agent-signed' });
      expect(jwtClaims(record.access_token).groups).toEqual(['mcp-servers-restricted']);
    } finally {
      await idp.close();
    }
  });
});
