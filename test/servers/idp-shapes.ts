import { randomUUID } from 'node:crypto';

/**
 * How each identity provider lays out its endpoints, signs its access tokens and words its
 * errors, for the local oidc-provider to imitate. The paths, claims and error bodies follow each
 * provider's own documentation:
 * - Entra ID: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 *   and https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS codes).
 * - Okta: https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/ (token, errors).
 * - Auth0: https://auth0.com/docs/api/authentication#client-credentials-flow (errors: access_denied).
 * - PingFederate: https://docs.pingidentity.com/pingfederate/ (/as/token.oauth2, /pf/JWKS).
 */
export type ShapeName = 'keycloak' | 'cognito' | 'entra' | 'okta' | 'auth0' | 'pingfederate' | 'oidc';
type AuthMethod = 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt' | 'none';

/** What a shape knows about the client a token is for. */
interface ShapeClient {
  clientId: string;
  /** Undefined: the token carries no groups claim at all (a claim set to undefined is left out of the JWT). */
  groups: string[] | undefined;
  roles: string[];
}

/** What the provider has on record for a client. */
interface RegisteredClient {
  /** The scopes the client may be granted, space-separated. */
  scope: string;
  /** The certificate thumbprints (`x5t`, `x5t#S256`) of its registered keys. */
  thumbprints: string[];
}

/** A token request as the provider received it, before oidc-provider sees it. */
export interface TokenRequest {
  form: URLSearchParams;
  /** The client id, from the form, HTTP Basic or the assertion's issuer. */
  clientId: string | undefined;
}

/** An answer the provider gives itself, in its own words, without asking oidc-provider. */
export interface ShapedAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface ShapeOptions {
  realm: string;
  poolId: string;
  tenant: string;
  /** Okta's custom authorization server; null: the org authorization server. */
  oktaAuthServerId: string | null;
  /** The APIs (Entra application ID URIs, Auth0 API identifiers) this provider knows. */
  apis: string[];
  /** Auth0 puts groups in a namespaced claim added by an Action. */
  auth0GroupsClaim: string;
}

export interface Shape {
  issuer: string;
  /** Stripped from a request's path before oidc-provider routes it (kept in originalUrl). */
  mount: string;
  routes: Record<string, string>;
  /** The token endpoint's full path. */
  tokenPath: string;
  defaultAuth: Exclude<AuthMethod, 'none'>;
  /** The audience of an access token issued without a resource indicator. */
  defaultAudience: string;
  claims(client: ShapeClient, scope: string): Record<string, unknown>;
  /** Rewrites a token request into oidc-provider's terms, or answers it the provider's way. */
  request?(request: TokenRequest, registered: (clientId: string) => RegisteredClient | undefined): ShapedAnswer | undefined;
  /** Rewrites oidc-provider's error answer into the provider's own words. */
  error?(answer: ShapedAnswer, request: TokenRequest): ShapedAnswer;
}

const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  jwks: '/protocol/openid-connect/certs',
  introspection: '/protocol/openid-connect/token/introspect',
  revocation: '/protocol/openid-connect/revoke',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  device_authorization: '/protocol/openid-connect/auth/device',
};

const scopes = (scope: string): string[] => scope.split(' ').filter(Boolean);

export function shapeOf(name: ShapeName, base: string, options: ShapeOptions): Shape {
  switch (name) {
    case 'keycloak': {
      const mount = `/realms/${options.realm}`;
      return {
        issuer: `${base}${mount}`,
        mount,
        routes: KEYCLOAK_ROUTES,
        tokenPath: `${mount}${KEYCLOAK_ROUTES.token}`,
        defaultAuth: 'client_secret_post',
        defaultAudience: 'mcp-gateway',
        claims: (client) => ({ groups: client.groups, azp: client.clientId }),
      };
    }
    case 'cognito':
      return {
        issuer: `${base}/${options.poolId}`,
        mount: `/${options.poolId}`,
        routes: {
          authorization: '/oauth2/authorize',
          token: '/oauth2/token',
          jwks: '/.well-known/jwks.json',
          revocation: '/oauth2/revoke',
          userinfo: '/oauth2/userInfo',
          introspection: '/oauth2/introspect',
        },
        tokenPath: '/oauth2/token',
        defaultAuth: 'client_secret_basic',
        defaultAudience: 'mcp-gateway',
        claims: (client) => ({ 'cognito:groups': client.groups, client_id: client.clientId }),
      };
    case 'entra':
      return entraShape(base, options);
    case 'okta': {
      const mount = options.oktaAuthServerId ? `/oauth2/${options.oktaAuthServerId}` : '';
      const prefix = options.oktaAuthServerId ? '' : '/oauth2';
      return {
        issuer: `${base}${mount}`,
        mount,
        routes: {
          authorization: `${prefix}/v1/authorize`,
          token: `${prefix}/v1/token`,
          jwks: `${prefix}/v1/keys`,
          revocation: `${prefix}/v1/revoke`,
        },
        tokenPath: `${mount}${prefix}/v1/token`,
        defaultAuth: 'client_secret_basic',
        defaultAudience: options.oktaAuthServerId ? `api://${options.oktaAuthServerId}` : base,
        // Okta: scopes as an array in `scp`, the client in `cid`, groups from a custom claim of the
        // authorization server.
        claims: (client, scope) => ({ cid: client.clientId, scp: scopes(scope), groups: client.groups }),
        request: (request) =>
          // The org authorization server takes client credentials with a signed key only.
          !options.oktaAuthServerId && !request.form.has('client_assertion')
            ? {
                status: 401,
                body: {
                  error: 'invalid_client',
                  error_description:
                    'Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method',
                },
              }
            : request.form.get('scope')
              ? undefined
              : {
                  status: 400,
                  body: {
                    error: 'invalid_scope',
                    error_description:
                      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
                  },
                },
        error: (answer) =>
          answer.body.error === 'invalid_client'
            ? {
                status: 401,
                body: { error: 'invalid_client', error_description: 'The client secret supplied for a confidential client is invalid.' },
              }
            : answer,
      };
    }
    case 'auth0':
      return auth0Shape(base, options);
    case 'pingfederate':
      return {
        issuer: base,
        mount: '',
        routes: {
          authorization: '/as/authorization.oauth2',
          token: '/as/token.oauth2',
          jwks: '/pf/JWKS',
          revocation: '/as/revoke_token.oauth2',
        },
        tokenPath: '/as/token.oauth2',
        defaultAuth: 'client_secret_basic',
        defaultAudience: 'mcp-gateway',
        // PingFederate's JWT access token manager: client_id, and the attributes mapped into the token.
        claims: (client) => ({ client_id: client.clientId, groups: client.groups }),
        request(request, registered) {
          const allowed = new Set(scopes((request.clientId && registered(request.clientId)?.scope) || ''));
          const unknown = scopes(request.form.get('scope') ?? '').some((scope) => !allowed.has(scope));
          return unknown
            ? {
                status: 400,
                body: {
                  error_description: 'The requested scope(s) must be blank or a subset of the provided scopes.',
                  error: 'invalid_scope',
                },
              }
            : undefined;
        },
        error: (answer) => {
          if (answer.body.error === 'invalid_client')
            return { status: 401, body: { error_description: 'Invalid client or client credentials.', error: 'invalid_client' } };
          if (answer.body.error === 'invalid_scope') {
            return {
              status: 400,
              body: {
                error_description: 'The requested scope(s) must be blank or a subset of the provided scopes.',
                error: 'invalid_scope',
              },
            };
          }
          return answer;
        },
      };
    case 'oidc':
      return {
        issuer: `${base}/idp`,
        mount: '/idp',
        routes: {},
        tokenPath: '/idp/token',
        defaultAuth: 'client_secret_post',
        defaultAudience: 'mcp-gateway',
        claims: (client) => ({ groups: client.groups, azp: client.clientId }),
      };
  }
}

/** Entra's error body: AADSTS code first in the description, then trace lines, CRLF-separated. */
function entraError(status: number, error: string, code: number, message: string): ShapedAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

function entraShape(base: string, options: ShapeOptions): Shape {
  const mount = `/${options.tenant}`;
  return {
    issuer: `${base}${mount}/v2.0`,
    mount,
    routes: { authorization: '/oauth2/v2.0/authorize', token: '/oauth2/v2.0/token', jwks: '/discovery/v2.0/keys' },
    tokenPath: `${mount}/oauth2/v2.0/token`,
    defaultAuth: 'client_secret_post',
    defaultAudience: 'mcp-gateway',
    // App-only tokens: application permissions in `roles`, security groups in `groups`, the tenant
    // in `tid`, `idtyp: app`; `azpacr` 1 for a secret, 2 for a certificate (a signed assertion).
    claims: (client) => ({ tid: options.tenant, roles: client.roles, groups: client.groups, azp: client.clientId, idtyp: 'app' }),
    request(request, registered) {
      if (request.clientId !== undefined && !registered(request.clientId)) {
        return entraError(
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${request.clientId}' was not found in the directory '${options.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        );
      }
      const assertion = request.form.get('client_assertion');
      if (assertion && request.clientId !== undefined) {
        // Entra finds the key by its certificate's thumbprint, never by kid.
        const header = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        const thumbprint = header['x5t#S256'] ?? header.x5t;
        if (typeof thumbprint !== 'string' || !registered(request.clientId)?.thumbprints.includes(thumbprint)) {
          return entraError(
            401,
            'invalid_client',
            700027,
            `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${typeof thumbprint === 'string' ? thumbprint : ''}']`,
          );
        }
      }
      const scope = request.form.get('scope') ?? '';
      const resource = /^(\S+)\/\.default$/.exec(scope)?.[1];
      if (resource === undefined) {
        return entraError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      if (!options.apis.includes(resource)) {
        return entraError(
          400,
          'invalid_resource',
          500011,
          `The resource principal named ${resource} was not found in the tenant named ${options.tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
        );
      }
      // `.default` asks for every application permission granted: the token's `roles`.
      request.form.delete('scope');
      request.form.set('resource', resource);
      return undefined;
    },
    error(answer, request) {
      if (answer.body.error !== 'invalid_client') return answer;
      return request.form.has('client_assertion')
        ? entraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.')
        : entraError(
            401,
            'invalid_client',
            7000215,
            `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${request.clientId ?? ''}'.`,
          );
    },
  };
}

function auth0Shape(base: string, options: ShapeOptions): Shape {
  return {
    issuer: `${base}/`,
    mount: '',
    routes: { authorization: '/authorize', token: '/oauth/token', jwks: '/.well-known/jwks.json', revocation: '/oauth/revoke' },
    tokenPath: '/oauth/token',
    defaultAuth: 'client_secret_post',
    defaultAudience: 'mcp-gateway',
    // Auth0: the API's permissions granted to the application in `permissions` (and `scope`),
    // `gty: client-credentials`, and groups only through a namespaced claim an Action adds.
    claims: (client, scope) => ({
      azp: client.clientId,
      gty: 'client-credentials',
      permissions: scopes(scope),
      [options.auth0GroupsClaim]: client.groups,
    }),
    request(request, registered) {
      const audience = request.form.get('audience');
      if (!audience)
        return { status: 403, body: { error: 'access_denied', error_description: 'Non-global clients are not allowed access to APIv1' } };
      if (!options.apis.includes(audience))
        return { status: 403, body: { error: 'access_denied', error_description: `Service not found: ${audience}` } };
      request.form.delete('audience');
      request.form.set('resource', audience);
      // Without a scope, Auth0 grants every permission the application's grant for that API holds.
      const granted = request.clientId === undefined ? undefined : registered(request.clientId);
      if (!request.form.get('scope') && granted) {
        request.form.set(
          'scope',
          scopes(granted.scope)
            .filter((scope) => scope !== 'openid' && scope !== 'offline_access')
            .join(' '),
        );
      }
      return undefined;
    },
    error: (answer) =>
      answer.body.error === 'invalid_client'
        ? { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } }
        : answer,
  };
}
