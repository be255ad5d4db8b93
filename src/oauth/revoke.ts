import { configure, type EgressClient } from './authorization-code.js';
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

/** Revokes a Keycloak access token issued to a confidential client (ingress, agents). */
export async function revokeKeycloakToken(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  token: string;
  timeoutMs: number;
  fetch: typeof fetch;
}): Promise<void> {
  const oidc = await import('openid-client');
  const endpoint = `${options.issuer}/protocol/openid-connect/revoke`;
  const config = new oidc.Configuration(
    { issuer: options.issuer, token_endpoint: `${options.issuer}/protocol/openid-connect/token`, revocation_endpoint: endpoint },
    options.clientId,
    {},
    oidc.ClientSecretPost(options.clientSecret),
  );
  config[oidc.customFetch] = retryingFetch(options.fetch, DEFAULT_RETRY);
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
