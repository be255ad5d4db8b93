import type { ClientCredentialsClient } from '../config/types.js';
import { MalformedAnswerError, translateOAuthError } from './errors.js';
import { DEFAULT_RETRY, retryingFetch, type FetchLog } from './http.js';
import { allowPlainHttp } from './plain-http.js';

/** A token endpoint's answer, as far as mcpgw-creds keeps it. */
export interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number | undefined;
  scope: string | undefined;
  refresh_token: string | undefined;
}

/** RFC 6750 §2.1 `b64token`: what an access token (and its type) may hold to travel in a header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 6749 §A.17: a refresh token is printable ASCII. */
const VSCHARS = /^[\x20-\x7e]+$/;
/** Ten years: an answer that claims a longer life is not one to trust or to keep. */
export const MAX_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

/**
 * The fields mcpgw-creds keeps from openid-client's token endpoint response, checked: a token that
 * could not travel in a header (a newline would split it into two), or a lifetime no date can
 * hold, is a malformed answer, and nothing is written.
 */
export function tokenAnswer(answer: {
  access_token: string;
  token_type: string;
  expires_in?: number | undefined;
  scope?: string | undefined;
  refresh_token?: string | undefined;
}): TokenAnswer {
  if (!B64TOKEN.test(answer.access_token)) throw new MalformedAnswerError('an access token with characters a token may not hold');
  if (!B64TOKEN.test(answer.token_type)) throw new MalformedAnswerError('a token_type with characters a token type may not hold');
  if (answer.refresh_token !== undefined && !VSCHARS.test(answer.refresh_token)) {
    throw new MalformedAnswerError('a refresh token with characters a token may not hold');
  }
  const expiresIn = answer.expires_in;
  if (expiresIn !== undefined && !(Number.isFinite(expiresIn) && expiresIn >= 0 && expiresIn <= MAX_LIFETIME_SECONDS)) {
    throw new MalformedAnswerError(`an expires_in of ${String(expiresIn)} s, which is not a lifetime (at most ten years)`);
  }
  return {
    access_token: answer.access_token,
    token_type: answer.token_type,
    expires_in: answer.expires_in,
    scope: answer.scope,
    refresh_token: answer.refresh_token,
  };
}

export interface RequestOptions {
  /** The HTTP transport (retries are added here). */
  fetch: typeof fetch;
  timeoutMs: number;
  log?: FetchLog;
  /** e.g. "the Keycloak token endpoint", for messages. */
  what: string;
}

/**
 * The client credentials grant (RFC 6749 §4.4) through openid-client, with the token endpoint
 * given directly (no discovery request). openid-client loads here, on first use, so runs that only
 * reuse cached tokens never load it.
 *
 * @see RFC 6749 §4.4
 */
export async function requestClientCredentials(client: ClientCredentialsClient, options: RequestOptions): Promise<TokenAnswer> {
  const oidc = await import('openid-client');
  const auth =
    client.auth === 'client_secret_basic' ? oidc.ClientSecretBasic(client.clientSecret) : oidc.ClientSecretPost(client.clientSecret);
  const config = new oidc.Configuration({ issuer: client.issuer, token_endpoint: client.tokenEndpoint }, client.clientId, {}, auth);
  config[oidc.customFetch] = retryingFetch(options.fetch, DEFAULT_RETRY, options.log);
  config.timeout = options.timeoutMs / 1000;
  allowPlainHttp(oidc, config, [client.tokenEndpoint]);
  try {
    return tokenAnswer(await oidc.clientCredentialsGrant(config, client.scope ? { scope: client.scope } : {}));
  } catch (error) {
    throw translateOAuthError(error, {
      what: options.what,
      url: client.tokenEndpoint,
      timeoutMs: options.timeoutMs,
      origin: client.origin,
    });
  }
}
