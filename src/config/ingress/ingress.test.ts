import { describe, expect, it } from 'vitest';
import { Problems } from '../problems.js';
import { resolveIngress } from './index.js';

const rules = { allowInsecureHttp: false, cwd: '/home/dev/project', envFileOf: {} };

function resolve(env: Record<string, string>): { ingress: ReturnType<typeof resolveIngress>; problems: Problems } {
  const problems = new Problems();
  return { ingress: resolveIngress(env, rules, problems), problems };
}

describe('the token endpoint and client authentication of each provider', () => {
  it('entra: login.microsoftonline.com by default, the app’s own API as scope, the secret in the body', () => {
    const { ingress } = resolve({
      AUTH_PROVIDER: 'entra',
      ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
      ENTRA_CLIENT_ID: 'app-1',
      ENTRA_CLIENT_SECRET: 's',
    });
    expect(ingress?.client).toMatchObject({
      tokenEndpoint: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
      scope: 'api://app-1/.default',
      credential: { method: 'client_secret_post', secret: 's' },
    });
    expect(ingress?.fields).toEqual({ tenant_id: 'contoso.onmicrosoft.com' });
  });

  it('okta: a host means https, a custom authorization server its own path, HTTP Basic by default', () => {
    const base = { AUTH_PROVIDER: 'okta', OKTA_DOMAIN: 'dev-123456.okta.com', OKTA_M2M_CLIENT_ID: 'c', OKTA_M2M_CLIENT_SECRET: 's' };
    expect(resolve(base).ingress?.client).toMatchObject({
      tokenEndpoint: 'https://dev-123456.okta.com/oauth2/v1/token',
      credential: { method: 'client_secret_basic' },
    });
    const custom = resolve({ ...base, OKTA_AUTH_SERVER_ID: 'default' }).ingress;
    expect(custom?.client.tokenEndpoint).toBe('https://dev-123456.okta.com/oauth2/default/v1/token');
    expect(custom?.fields).toEqual({ okta_domain: 'dev-123456.okta.com', auth_server_id: 'default' });
  });

  it('okta and auth0: a URL keeps its scheme and port; plain http only on loopback', () => {
    const okta = resolve({
      AUTH_PROVIDER: 'okta',
      OKTA_DOMAIN: 'http://127.0.0.1:8443/',
      OKTA_M2M_CLIENT_ID: 'c',
      OKTA_M2M_CLIENT_SECRET: 's',
    });
    expect(okta.ingress?.client.tokenEndpoint).toBe('http://127.0.0.1:8443/oauth2/v1/token');
    const remote = resolve({
      AUTH_PROVIDER: 'auth0',
      AUTH0_DOMAIN: 'http://tenant.example.com',
      AUTH0_M2M_CLIENT_ID: 'c',
      AUTH0_M2M_CLIENT_SECRET: 's',
      AUTH0_AUDIENCE: 'https://gw',
    });
    expect(remote.ingress).toBeUndefined();
    expect(remote.problems.errors.join('\n')).toContain('AUTH0_DOMAIN');
  });

  it('auth0: /oauth/token with the audience parameter; an assertion also names the domain', () => {
    const { ingress } = resolve({
      AUTH_PROVIDER: 'auth0',
      AUTH0_DOMAIN: 'my-tenant.us.auth0.com',
      AUTH0_M2M_CLIENT_ID: 'c',
      AUTH0_M2M_CLIENT_SECRET: 's',
      AUTH0_AUDIENCE: 'https://gateway.example.com',
    });
    expect(ingress?.client).toMatchObject({
      tokenEndpoint: 'https://my-tenant.us.auth0.com/oauth/token',
      params: { audience: 'https://gateway.example.com' },
      assertionAudiences: ['https://my-tenant.us.auth0.com/'],
      credential: { method: 'client_secret_post' },
    });
    expect(ingress?.fields).toEqual({ auth0_domain: 'my-tenant.us.auth0.com', audience: 'https://gateway.example.com' });
  });

  it('pingfederate: {base}/as/token.oauth2, HTTP Basic by default', () => {
    const { ingress } = resolve({
      AUTH_PROVIDER: 'pingfederate',
      PINGFEDERATE_BASE_URL: 'https://sso.example.com:9031/',
      PINGFEDERATE_M2M_CLIENT_ID: 'c',
      PINGFEDERATE_M2M_CLIENT_SECRET: 's',
      PINGFEDERATE_SCOPE: 'a, b',
    });
    expect(ingress?.client).toMatchObject({
      tokenEndpoint: 'https://sso.example.com:9031/as/token.oauth2',
      scope: 'a b',
      credential: { method: 'client_secret_basic' },
    });
  });

  it('oidc: no token endpoint until discovery; OIDC_AUDIENCE as the audience parameter', () => {
    const { ingress } = resolve({
      AUTH_PROVIDER: 'oidc',
      OIDC_ISSUER: 'https://idp.example.com/realms/main',
      OIDC_M2M_CLIENT_ID: 'c',
      OIDC_M2M_CLIENT_SECRET: 's',
      OIDC_AUDIENCE: 'gateway',
    });
    expect(ingress?.client).toMatchObject({
      tokenEndpoint: undefined,
      issuer: 'https://idp.example.com/realms/main',
      params: { audience: 'gateway' },
    });
  });
});

describe('INGRESS_CLIENT_AUTH, INGRESS_PRIVATE_KEY_FILE and INGRESS_RESOURCE', () => {
  const okta = { AUTH_PROVIDER: 'okta', OKTA_DOMAIN: 'dev-1.okta.com', OKTA_M2M_CLIENT_ID: 'c' };

  it('overrides the provider’s default method', () => {
    expect(resolve({ ...okta, OKTA_M2M_CLIENT_SECRET: 's', INGRESS_CLIENT_AUTH: 'client_secret_post' }).ingress?.client.credential).toEqual(
      {
        method: 'client_secret_post',
        secret: 's',
      },
    );
  });

  it('with private_key_jwt the secret is not required, and a relative key path is the working directory’s', () => {
    const { ingress, problems } = resolve({
      ...okta,
      INGRESS_CLIENT_AUTH: 'private_key_jwt',
      INGRESS_PRIVATE_KEY_FILE: 'keys/client.pem',
      INGRESS_KEY_ID: 'k1',
    });
    expect(problems.errors).toEqual([]);
    expect(ingress?.client.credential).toEqual({ method: 'private_key_jwt', keyFile: '/home/dev/project/keys/client.pem', keyId: 'k1' });
  });

  it('takes a relative key path set in a .env file from that file’s folder', () => {
    const problems = new Problems();
    const ingress = resolveIngress(
      { ...okta, INGRESS_CLIENT_AUTH: 'private_key_jwt', INGRESS_PRIVATE_KEY_FILE: 'keys/client.pem' },
      { ...rules, envFileOf: { INGRESS_PRIVATE_KEY_FILE: '/etc/mcpgw/ci.env' } },
      problems,
    );
    expect(ingress?.client.credential).toMatchObject({ keyFile: '/etc/mcpgw/keys/client.pem' });
  });

  it('names what is missing or wrong', () => {
    expect(resolve({ ...okta, INGRESS_CLIENT_AUTH: 'private_key_jwt' }).problems.errors.join('\n')).toContain(
      'INGRESS_PRIVATE_KEY_FILE is not set',
    );
    expect(resolve({ ...okta, INGRESS_CLIENT_AUTH: 'tls_client_auth' }).problems.errors.join('\n')).toContain(
      'INGRESS_CLIENT_AUTH is "tls_client_auth"',
    );
    expect(resolve({ ...okta }).problems.errors.join('\n')).toContain('OKTA_M2M_CLIENT_SECRET is not set');
    const fragment = resolve({ ...okta, OKTA_M2M_CLIENT_SECRET: 's', INGRESS_RESOURCE: 'https://gw.example.com/#x' });
    expect(fragment.problems.errors.join('\n')).toContain('INGRESS_RESOURCE');
  });

  it('sends INGRESS_RESOURCE as `resource`, with the provider’s own parameters', () => {
    const { ingress } = resolve({
      AUTH_PROVIDER: 'auth0',
      AUTH0_DOMAIN: 't.auth0.com',
      AUTH0_M2M_CLIENT_ID: 'c',
      AUTH0_M2M_CLIENT_SECRET: 's',
      AUTH0_AUDIENCE: 'https://gw',
      INGRESS_RESOURCE: 'https://gw.example.com/mcp',
    });
    expect(ingress?.client.params).toEqual({ audience: 'https://gw', resource: 'https://gw.example.com/mcp' });
  });
});
