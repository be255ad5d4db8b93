import { describe, expect, it } from 'vitest';
import { resolveAgentCore } from './agentcore-config.js';
import { resolveEgress } from './egress-config.js';
import { cognitoDomain } from './ingress/cognito.js';
import { resolveIngress } from './ingress/index.js';
import { resolveConfig, type Config } from './config.js';
import { Problems } from './problems.js';
import { checkServiceUrl, isLoopbackHost } from './urls.js';

const strict = { allowInsecureHttp: false, cwd: '/work', envFileOf: {} };

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
    ['idp.example.com', false],
  ])('%s → %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});

describe('checkServiceUrl', () => {
  it('accepts https anywhere and http on loopback, strips a trailing slash', () => {
    const problems = new Problems();
    expect(checkServiceUrl('https://idp.example.com/', 'X', strict, problems)?.href).toBe('https://idp.example.com/');
    expect(checkServiceUrl('http://127.0.0.1:8080/auth/', 'X', strict, problems)?.pathname).toBe('/auth');
    expect(problems.errors).toEqual([]);
  });
  it('refuses http to other hosts unless allowed, then warns', () => {
    const problems = new Problems();
    expect(checkServiceUrl('http://idp.example.com', 'KEYCLOAK_URL', strict, problems)).toBeUndefined();
    expect(problems.errors[0]).toContain('MCPGW_ALLOW_INSECURE_HTTP=1');
    const allowed = new Problems();
    expect(checkServiceUrl('http://idp.example.com', 'KEYCLOAK_URL', { allowInsecureHttp: true }, allowed)).toBeDefined();
    expect(allowed.warnings[0]).toContain('unencrypted');
  });
  it('refuses credentials, queries and other schemes', () => {
    const problems = new Problems();
    checkServiceUrl('https://user:pw@idp.example.com', 'A', strict, problems);
    checkServiceUrl('https://idp.example.com/?x=1', 'B', strict, problems);
    checkServiceUrl('ftp://idp.example.com', 'C', strict, problems);
    checkServiceUrl('idp.example.com', 'D', strict, problems);
    expect(problems.errors.map((e) => e.slice(0, 1))).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('Cognito domain', () => {
  it('turns a prefix into the hosted domain of the region', () => {
    expect(cognitoDomain('my-prefix', 'us-east-1_AbCdEf123', 'us-east-1', strict, new Problems())).toBe(
      'https://my-prefix.auth.us-east-1.amazoncognito.com',
    );
  });
  it('defaults to the pool id without "_", lower-cased', () => {
    expect(cognitoDomain(undefined, 'us-east-1_AbCdEf123', 'us-east-1', strict, new Problems())).toBe(
      'https://us-east-1abcdef123.auth.us-east-1.amazoncognito.com',
    );
  });
  it('takes a full URL as it is', () => {
    expect(cognitoDomain('https://auth.example.com/', 'us-east-1_A', 'us-east-1', strict, new Problems())).toBe('https://auth.example.com');
    expect(cognitoDomain('http://127.0.0.1:9229', 'us-east-1_A', 'us-east-1', strict, new Problems())).toBe('http://127.0.0.1:9229');
  });
  it('resolves the region from the pool id, AWS_REGION first', () => {
    const env = {
      AUTH_PROVIDER: 'cognito',
      INGRESS_OAUTH_USER_POOL_ID: 'eu-west-2_Pool9',
      INGRESS_OAUTH_CLIENT_ID: 'c',
      INGRESS_OAUTH_CLIENT_SECRET: 's',
    };
    const fromPool = resolveIngress(env, strict, new Problems());
    expect(fromPool?.fields).toEqual({ user_pool_id: 'eu-west-2_Pool9', region: 'eu-west-2' });
    expect(fromPool?.client).toMatchObject({
      credential: { method: 'client_secret_basic', secret: 's' },
      tokenEndpoint: 'https://eu-west-2pool9.auth.eu-west-2.amazoncognito.com/oauth2/token',
    });
    expect(resolveIngress({ ...env, AWS_REGION: 'us-west-1' }, strict, new Problems())?.fields).toMatchObject({ region: 'us-west-1' });
  });
  it('names a malformed pool id', () => {
    const problems = new Problems();
    resolveIngress(
      { AUTH_PROVIDER: 'cognito', INGRESS_OAUTH_USER_POOL_ID: 'pool', INGRESS_OAUTH_CLIENT_ID: 'c', INGRESS_OAUTH_CLIENT_SECRET: 's' },
      strict,
      problems,
    );
    expect(problems.errors[0]).toContain('INGRESS_OAUTH_USER_POOL_ID');
  });
});

describe('Keycloak ingress', () => {
  it('builds the token endpoint from URL and realm, scope normalised', () => {
    const ingress = resolveIngress(
      {
        AUTH_PROVIDER: 'Keycloak',
        KEYCLOAK_URL: 'https://kc.example.com/',
        KEYCLOAK_REALM: 'r1',
        KEYCLOAK_M2M_CLIENT_ID: 'c',
        KEYCLOAK_M2M_CLIENT_SECRET: 's',
        KEYCLOAK_M2M_SCOPE: 'a, b  c',
      },
      strict,
      new Problems(),
    );
    expect(ingress?.client).toMatchObject({
      tokenEndpoint: 'https://kc.example.com/realms/r1/protocol/openid-connect/token',
      scope: 'a b c',
      credential: { method: 'client_secret_post', secret: 's' },
    });
  });
  it('defaults the realm to mcp-gateway', () => {
    const ingress = resolveIngress(
      { AUTH_PROVIDER: 'keycloak', KEYCLOAK_URL: 'https://kc', KEYCLOAK_M2M_CLIENT_ID: 'c', KEYCLOAK_M2M_CLIENT_SECRET: 's' },
      strict,
      new Problems(),
    );
    expect(ingress?.fields).toEqual({ keycloak_url: 'https://kc', realm: 'mcp-gateway' });
  });
});

describe('numbered sets', () => {
  it('counts an egress set with name and client id, defaulting redirect URI and server', () => {
    const sets = resolveEgress({ EGRESS_PROVIDER_NAME_1: 'Atlassian', EGRESS_OAUTH_CLIENT_ID_1: 'id' }, new Problems());
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ provider: 'atlassian', server: 'atlassian', clientSecret: undefined, scopes: undefined });
    expect(sets[0]?.redirectUri.href).toBe('http://localhost:9999/callback');
  });
  it('names the missing variable of a partial egress set', () => {
    const problems = new Problems();
    resolveEgress({ EGRESS_PROVIDER_NAME_3: 'google', EGRESS_OAUTH_SCOPE_3: 'openid' }, problems);
    expect(problems.errors).toHaveLength(1);
    expect(problems.errors[0]).toContain('EGRESS_OAUTH_CLIENT_ID_3 is not set');
  });
  it('refuses a non-loopback or port-less redirect URI', () => {
    const problems = new Problems();
    resolveEgress(
      {
        EGRESS_PROVIDER_NAME_1: 'google',
        EGRESS_OAUTH_CLIENT_ID_1: 'a',
        EGRESS_OAUTH_REDIRECT_URI_1: 'https://app.example.com/callback',
        EGRESS_PROVIDER_NAME_2: 'github',
        EGRESS_OAUTH_CLIENT_ID_2: 'b',
        EGRESS_OAUTH_REDIRECT_URI_2: 'http://localhost/callback',
      },
      problems,
    );
    expect(problems.errors[0]).toContain('EGRESS_OAUTH_REDIRECT_URI_1');
    expect(problems.errors[1]).toContain('EGRESS_OAUTH_REDIRECT_URI_2');
  });
  it('refuses two sets for the same provider and server', () => {
    const problems = new Problems();
    resolveEgress(
      { EGRESS_PROVIDER_NAME_1: 'github', EGRESS_OAUTH_CLIENT_ID_1: 'a', EGRESS_PROVIDER_NAME_2: 'github', EGRESS_OAUTH_CLIENT_ID_2: 'b' },
      problems,
    );
    expect(problems.errors[0]).toContain('EGRESS_MCP_SERVER_NAME_2');
  });
  it('refuses a server name that is not a safe file name', () => {
    const problems = new Problems();
    resolveEgress({ EGRESS_PROVIDER_NAME_1: 'github', EGRESS_OAUTH_CLIENT_ID_1: 'a', EGRESS_MCP_SERVER_NAME_1: '../etc' }, problems);
    expect(problems.errors[0]).toContain('EGRESS_MCP_SERVER_NAME_1');
  });
  it('reads AgentCore sets with HTTP Basic', () => {
    const sets = resolveAgentCore(
      {
        AGENTCORE_CLIENT_ID_7: 'c',
        AGENTCORE_CLIENT_SECRET_7: 's',
        AGENTCORE_TOKEN_URL_7: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token',
        AGENTCORE_SERVER_NAME_7: 'srv',
      },
      strict,
      new Problems(),
    );
    expect(sets).toMatchObject([{ index: 7, server: 'srv', client: { credential: { method: 'client_secret_basic' }, scope: undefined } }]);
  });
});

describe('resolveConfig: each section when first read', () => {
  it('resolves a section on first read, once, and leaves the others unresolved', () => {
    const processEnv = { AUTH_PROVIDER: 'keycloak', KEYCLOAK_URL: 'https://kc.example.com', EGRESS_OAUTH_CLIENT_ID_1: 'x' };
    const { config } = resolveConfig({ envFiles: [] }, { cwd: '/nonexistent', processEnv });
    const resolved = (key: keyof Config): boolean => Object.getOwnPropertyDescriptor(config, key)?.get === undefined;
    expect(resolved('egress')).toBe(false);
    const ingress = config.ingress;
    expect(resolved('ingress')).toBe(true);
    expect(config.ingress).toBe(ingress);
    expect(resolved('egress')).toBe(false);
    expect(resolved('agentcore')).toBe(false);
    expect(config.egress.problems.join(' ')).toMatch(/EGRESS_OAUTH/);
    expect(Object.keys(config)).toEqual(['settings', 'ingress', 'keycloak', 'agentcore', 'egress', 'keycloakAdmin', 'secrets']);
  });
});
