import type { ClientCredentialsClient } from '../config/types.js';
import { configure, type EgressClient } from './authorization-code.js';
import { clientAuth } from './client-auth.js';
import { translateOAuthError } from './errors.js';
import { DEFAULT_RETRY, retryingFetch } from './http.js';
import { allowPlainHttp } from './plain-http.js';

const ORIGIN = { clientId: 'the client id', clientSecret: 'the client secret', scope: 'the scope', url: 'the revocation endpoint' };

/**
 * Revokes a token (RFC 7009) at an egress provider's `revocation_url`: the refresh token first
 * (which ends the grant at most providers), then the access token.
 *
 * @see RFC 7009 §2.1
 */
export async function revokeEgressTokens(
  client: EgressClient,
  tokens: { access_token: string; refresh_token?: string | undefined },
): Promise<void> {
  const { oidc, config } = await configure(client);
  const endpoint = client.provider.revocationEndpoint ?? '';
  try {
    if (tokens.refresh_token) await oidc.tokenRevocation(config, tokens.refresh_token, { token_type_hint: 'refresh_token' });
    await oidc.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
  } catch (error) {
    throw translateOAuthError(error, {
      what: `the ${client.provider.definition.name} revocation endpoint`,
      url: endpoint,
      timeoutMs: client.timeoutMs,
      origin: client.origin,
    });
  }
}

/** Revokes a Keycloak access token issued to a confidential client (ingress, agents), authenticating as it did. */
export async function revokeKeycloakToken(options: {
  client: ClientCredentialsClient;
  token: string;
  timeoutMs: number;
  fetch: typeof fetch;
  checkKeyMode: boolean;
}): Promise<void> {
  const oidc = await import('openid-client');
  const { issuer } = options.client;
  const endpoint = `${issuer}/protocol/openid-connect/revoke`;
  const tokenEndpoint = `${issuer}/protocol/openid-connect/token`;
  const config = new oidc.Configuration(
    { issuer, token_endpoint: tokenEndpoint, revocation_endpoint: endpoint },
    options.client.clientId,
    {},
    // Keycloak takes the token endpoint as the audience of an assertion on any of its endpoints.
    (await clientAuth(oidc, options.client, { checkKeyMode: options.checkKeyMode }))(tokenEndpoint),
  );
  // A signed assertion is single-use: a request the server saw is not sent again.
  const signed = options.client.credential.method === 'private_key_jwt';
  config[oidc.customFetch] = retryingFetch(options.fetch, signed ? { ...DEFAULT_RETRY, mode: 'connect-only' } : DEFAULT_RETRY);
  config.timeout = options.timeoutMs / 1000;
  allowPlainHttp(oidc, config, [endpoint]);
  try {
    await oidc.tokenRevocation(config, options.token, { token_type_hint: 'access_token' });
  } catch (error) {
    throw translateOAuthError(error, {
      what: 'the Keycloak revocation endpoint',
      url: endpoint,
      timeoutMs: options.timeoutMs,
      origin: ORIGIN,
    });
  }
}
