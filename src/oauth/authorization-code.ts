import type { Configuration } from 'openid-client';
import { FlowError } from '../errors.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { tokenAnswer, type TokenAnswer } from './token-answer.js';
import { translateOAuthError, type RequestContext } from './errors.js';
import { DEFAULT_RETRY, retryingFetch, type FetchLog } from './http.js';
import { normaliseTokenResponse } from './token-response.js';
import { allowPlainHttp } from './plain-http.js';

/** An egress client: one egress set with its provider resolved. */
export interface EgressClient {
  provider: ResolvedProvider;
  clientId: string;
  clientSecret: string | undefined;
  /** The redirect URI exactly as configured (normalised by URL). */
  redirectUri: string;
  /** The HTTP transport (retries are added here). */
  fetch: typeof fetch;
  timeoutMs: number;
  log: FetchLog;
  origin: RequestContext['origin'];
}

/** What a started authorization needs later: the URL to visit and the values to check against. */
export interface PendingAuthorization {
  url: URL;
  state: string;
  codeVerifier: string | undefined;
}

/** Parameters mcpgw-creds sets itself; a provider's `auth_params` cannot replace them. */
const PROTECTED_PARAMS = new Set(['client_id', 'response_type', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']);

type Oidc = typeof import('openid-client');

export async function configure(client: EgressClient): Promise<{ oidc: Oidc; config: Configuration }> {
  const oidc = await import('openid-client');
  const { provider } = client;
  const definition = provider.definition;
  const auth = !client.clientSecret
    ? oidc.None()
    : definition.token_auth === 'client_secret_basic'
      ? oidc.ClientSecretBasic(client.clientSecret)
      : oidc.ClientSecretPost(client.clientSecret);
  const config = new oidc.Configuration(
    {
      // Without a declared issuer there is nothing to check `iss` against; the origin stands in.
      issuer: provider.issuer ?? new URL(provider.authorizationEndpoint).origin,
      authorization_endpoint: provider.authorizationEndpoint,
      token_endpoint: provider.tokenEndpoint,
      ...(provider.deviceAuthorizationEndpoint ? { device_authorization_endpoint: provider.deviceAuthorizationEndpoint } : {}),
      ...(provider.revocationEndpoint ? { revocation_endpoint: provider.revocationEndpoint } : {}),
      authorization_response_iss_parameter_supported:
        provider.issuer !== undefined && definition.authorization_response_iss_parameter_supported,
    },
    client.clientId,
    {},
    auth,
  );
  // An authorization code and a rotating refresh token are single-use: retry only unsent requests.
  const transport = retryingFetch(client.fetch, { ...DEFAULT_RETRY, mode: 'connect-only' }, client.log);
  config[oidc.customFetch] = async (url, init) => {
    if (url !== provider.tokenEndpoint) return transport(url, init);
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(definition.token_headers)) headers.set(name, value);
    return normaliseTokenResponse(await transport(url, { ...init, headers }), definition);
  };
  config.timeout = client.timeoutMs / 1000;
  allowPlainHttp(oidc, config, [provider.authorizationEndpoint, provider.tokenEndpoint]);
  return { oidc, config };
}

/** The scopes, as the provider wants them written (`scope` joined by spaces, or Slack's `user_scope`). */
export function scopeParameters(client: EgressClient): Record<string, string> {
  const { definition, scopes } = client.provider;
  return scopes.length > 0 ? { [definition.scope_param]: scopes.join(definition.scope_separator) } : {};
}

/**
 * Starts an authorization (RFC 6749 §4.1 with PKCE S256, RFC 7636): a fresh `state` and code
 * verifier for this attempt, and the URL to send the browser to.
 */
export async function startAuthorization(client: EgressClient): Promise<PendingAuthorization & { config: Configuration }> {
  const { oidc, config } = await configure(client);
  const definition = client.provider.definition;
  const state = oidc.randomState();
  const codeVerifier = definition.pkce ? oidc.randomPKCECodeVerifier() : undefined;
  const parameters = scopeParameters(client);
  for (const [name, value] of Object.entries(definition.auth_params)) if (!PROTECTED_PARAMS.has(name)) parameters[name] = value;
  parameters.redirect_uri = client.redirectUri;
  parameters.state = state;
  if (codeVerifier) {
    parameters.code_challenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
    parameters.code_challenge_method = 'S256';
  }
  return { url: oidc.buildAuthorizationUrl(config, parameters), state, codeVerifier, config };
}

/**
 * Exchanges the code of a callback whose `state` already matched. Checks, in order: the issuer
 * (RFC 9207, where the provider declares one), an `error=` answer (exit 3), then the exchange with
 * the PKCE verifier.
 *
 * @see RFC 9207 §2.4, RFC 9700 §4.4 (mix-up defence)
 */
export async function exchangeCode(
  client: EgressClient,
  config: Configuration,
  callback: URL,
  pending: Pick<PendingAuthorization, 'state' | 'codeVerifier'>,
): Promise<TokenAnswer> {
  const oidc = await import('openid-client');
  const url = new URL(callback.href);
  const declared = client.provider.issuer;
  const iss = url.searchParams.get('iss');
  if (declared === undefined) {
    if (iss !== null)
      client.log(`the callback names the issuer ${iss}; ${client.provider.definition.name} declares none to check it against`);
    url.searchParams.delete('iss');
  } else if (iss !== null ? iss !== declared : client.provider.definition.authorization_response_iss_parameter_supported) {
    throw new FlowError(
      'issuer_mismatch',
      `the authorization response ${iss === null ? 'names no issuer' : `comes from the issuer ${iss}`}, not from ${declared}: it was refused (a possible mix-up attack)`,
      `if ${client.provider.definition.name}'s issuer really changed, correct "issuer" in ${client.provider.definition.file}`,
    );
  }
  try {
    const answer = await oidc.authorizationCodeGrant(config, url, {
      expectedState: pending.state,
      ...(pending.codeVerifier ? { pkceCodeVerifier: pending.codeVerifier } : {}),
    });
    return tokenAnswer(answer);
  } catch (error) {
    throw translateOAuthError(error, context(client));
  }
}

/** The refresh token grant (RFC 6749 §6). */
export async function refreshEgressToken(client: EgressClient, refreshToken: string): Promise<TokenAnswer> {
  const { oidc, config } = await configure(client);
  try {
    return tokenAnswer(await oidc.refreshTokenGrant(config, refreshToken));
  } catch (error) {
    throw translateOAuthError(error, context(client));
  }
}

export function context(client: EgressClient): RequestContext {
  const { origin } = client;
  return {
    what: `the ${client.provider.definition.name} token endpoint`,
    url: client.provider.tokenEndpoint,
    timeoutMs: client.timeoutMs,
    origin,
    hints: {
      invalid_client: `check ${origin.clientId} and ${origin.clientSecret} against the app registered with ${client.provider.definition.name}`,
      unauthorized_client: `the app registered with ${client.provider.definition.name} may not use this grant: check its settings`,
      invalid_scope: `check ${origin.scope}: ask only for scopes the app may have`,
      access_denied: 'the sign-in was declined in the browser; run again and approve the access',
      invalid_grant: `the code or token was refused (expired, used twice, or a redirect URI other than the registered one): run again`,
      invalid_request: `check the app's settings at ${client.provider.definition.name}, and the redirect URI registered there`,
    },
  };
}
