import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/run-cli.js';
import { jwtClaims, makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'cognito-app-secret-5e6f7a8b9c';
const POOL = 'us-east-1_TestPool1';
let idp: LocalIdp;

beforeAll(async () => {
  // Registered for client_secret_basic only: a secret sent in the body is refused.
  idp = await startLocalIdp({
    shape: 'cognito',
    poolId: POOL,
    clients: [{ clientId: 'cognito-m2m-client', clientSecret: SECRET, groups: ['mcp-servers-restricted'], auth: 'client_secret_basic' }],
  });
});
afterAll(() => idp.close());

function cognitoEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_PROVIDER: 'cognito',
    INGRESS_OAUTH_USER_POOL_ID: POOL,
    INGRESS_OAUTH_CLIENT_ID: 'cognito-m2m-client',
    INGRESS_OAUTH_CLIENT_SECRET: SECRET,
    INGRESS_OAUTH_SCOPE: 'mcp-gateway/tools',
    COGNITO_DOMAIN: idp.baseUrl,
    REGISTRY_URL: 'https://gateway.example.com',
    ...extra,
  };
}

describe('ingress from a Cognito-shaped provider', () => {
  it('authenticates with HTTP Basic at {domain}/oauth2/token and writes the Cognito fields', async () => {
    const cwd = makeWorkdir();
    const before = idp.tokenRequests().length;
    const result = await runCli(['--ingress-only'], { cwd, env: cognitoEnv() });
    expect(result.code).toBe(0);
    const requests = idp.tokenRequests().slice(before);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.path).toBe('/oauth2/token');
    expect(requests[0]?.authorization).toMatch(/^Basic /);

    const file = path.join(cwd, '.oauth-tokens', 'ingress.json');
    const record = readJson(file);
    expect(Object.keys(record).sort()).toEqual(
      [
        'access_token',
        'client_id',
        'expires_at',
        'expires_at_human',
        'provider',
        'region',
        'saved_at',
        'scope',
        'token_type',
        'token_url',
        'user_pool_id',
      ].sort(),
    );
    expect(record).toMatchObject({
      provider: 'cognito_m2m',
      user_pool_id: POOL,
      region: 'us-east-1',
      scope: 'mcp-gateway/tools',
      client_id: 'cognito-m2m-client',
    });
    expect(jwtClaims(record.access_token)['cognito:groups']).toEqual(['mcp-servers-restricted']);
    expect(modeOf(file)).toBe(0o600);
    expectNoSecrets(result, [SECRET, record.access_token, Buffer.from(`cognito-m2m-client:${SECRET}`).toString('base64')]);
  });

  it('takes the region from AWS_REGION over the pool id', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['--ingress-only'], { cwd, env: cognitoEnv({ AWS_REGION: 'eu-west-1' }) });
    expect(result.code).toBe(0);
    expect(readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).region).toBe('eu-west-1');
  });

  it('exits 3 with invalid_client on a wrong secret', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['--ingress-only'], { cwd, env: cognitoEnv({ INGRESS_OAUTH_CLIENT_SECRET: 'not-the-secret-42' }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid_client');
    expect(result.stderr).toContain('INGRESS_OAUTH_CLIENT_SECRET');
    expectNoSecrets(result, ['not-the-secret-42', SECRET]);
  });

  it('exits 2 on a COGNITO_DOMAIN that is neither a prefix nor a URL, before any request', async () => {
    const before = idp.requests.length;
    const result = await runCli(['--ingress-only'], { cwd: makeWorkdir(), env: cognitoEnv({ COGNITO_DOMAIN: 'Not A Prefix!' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('COGNITO_DOMAIN');
    expect(idp.requests.length).toBe(before);
  });
});
