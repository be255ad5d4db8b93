import type { ClientCredentialsClient } from '../config/types.js';
import { clientAuth } from './client-auth.js';
import { translateOAuthError } from './errors.js';
import { DEFAULT_RETRY, isResetError, networkErrorCode, retryingFetch, type FetchLog } from './http.js';
import { allowPlainHttp } from './plain-http.js';
import { tokenAnswer, type TokenAnswer } from './token-answer.js';

export interface RequestOptions {
  /** The HTTP transport (retries are added here). */
  fetch: typeof fetch;
  timeoutMs: number;
  log?: FetchLog;
  /** e.g. "the Keycloak token endpoint", for messages. */
  what: string;
  /** MCPGW_ALLOW_INSECURE_HTTP=1: a discovered plain-http token endpoint is accepted. */
  allowInsecureHttp: boolean;
  /** Refuse a private key file others can read (where the system has such modes). */
  checkKeyMode: boolean;
}

/** A token, and the endpoint that issued it (discovered, for a provider found by its issuer). */
export interface IssuedToken {
  answer: TokenAnswer;
  tokenEndpoint: string;
}

/**
 * The client credentials grant (RFC 6749 §4.4) through openid-client, at the token endpoint the
 * configuration names (no discovery request), or, for a provider known only by its issuer, the one
 * its discovery document names. The client authenticates with its secret or its key (see
 * clientAuth); Auth0's `audience` and RFC 8707's `resource` go with the scope. openid-client loads
 * here, on first use, so runs that only reuse cached tokens never load it.
 *
 * @see RFC 6749 §4.4, RFC 8707 §2
 */
export async function requestClientCredentials(client: ClientCredentialsClient, options: RequestOptions): Promise<IssuedToken> {
  const oidc = await import('openid-client');
  // A key file is checked before any request, discovery included.
  const authFor = await clientAuth(oidc, client, { checkKeyMode: options.checkKeyMode });
  const tokenEndpoint =
    client.tokenEndpoint ??
    (await (
      await import('./discovery.js')
    ).discoverTokenEndpoint(client.issuer, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      allowInsecureHttp: options.allowInsecureHttp,
      ...(options.log ? { log: options.log } : {}),
      variable: client.origin.url,
    }));
  const config = new oidc.Configuration(
    { issuer: client.issuer, token_endpoint: tokenEndpoint },
    client.clientId,
    {},
    authFor(tokenEndpoint),
  );
  // An assertion is single-use (its jti): a request that reached the server is never sent again
  // as it was; a new one, with a new assertion, is (below).
  const signed = client.credential.method === 'private_key_jwt';
  config[oidc.customFetch] = retryingFetch(options.fetch, signed ? { ...DEFAULT_RETRY, mode: 'connect-only' } : DEFAULT_RETRY, options.log);
  config.timeout = options.timeoutMs / 1000;
  allowPlainHttp(oidc, config, [tokenEndpoint]);
  const parameters: Record<string, string> = { ...(client.scope ? { scope: client.scope } : {}), ...client.params };
  for (let attempt = 1; ; attempt++) {
    try {
      return { answer: tokenAnswer(await oidc.clientCredentialsGrant(config, parameters)), tokenEndpoint };
    } catch (error) {
      if (signed && attempt < DEFAULT_RETRY.attempts && isTransient(error)) {
        options.log?.(`${options.what}: ${networkErrorCode(error) ?? 'server error'}; again with a new assertion (attempt ${attempt + 1})`);
        await new Promise((resolve) => setTimeout(resolve, DEFAULT_RETRY.backoffMs(attempt)));
        continue;
      }
      throw translateOAuthError(error, {
        what: options.what,
        url: tokenEndpoint,
        timeoutMs: options.timeoutMs,
        origin: client.origin,
        ...(client.hints ? { hints: client.hints } : {}),
      });
    }
  }
}

/** A failure worth another try: the server answered 5xx or 429, or reset the connection. */
function isTransient(error: unknown): boolean {
  if (isResetError(error)) return true;
  const fields = error as { status?: unknown; cause?: unknown };
  const status = typeof fields.status === 'number' ? fields.status : fields.cause instanceof Response ? fields.cause.status : undefined;
  return status !== undefined && (status >= 500 || status === 429);
}
