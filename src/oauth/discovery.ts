import { FlowError, IdpUnavailableError } from '../errors.js';
import { isLoopbackHost } from '../config/urls.js';
import { DEFAULT_RETRY, retryingFetch, type FetchLog } from './http.js';

/**
 * The token endpoint of an issuer, from its OpenID discovery document, whose `issuer` must be
 * exactly the one configured (a mismatch is refused before any token request: a document served
 * for another issuer could point the secret anywhere). The endpoint follows the https rule.
 *
 * @see OpenID Connect Discovery 1.0 §4.3
 */
export async function discoverTokenEndpoint(
  issuer: string,
  options: { fetch: typeof fetch; timeoutMs: number; allowInsecureHttp: boolean; log?: FetchLog; variable: string },
): Promise<string> {
  const where = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await retryingFetch(
      options.fetch,
      DEFAULT_RETRY,
      options.log,
    )(where, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw new IdpUnavailableError(
      `cannot read the discovery document ${where}: ${error instanceof Error ? error.message : String(error)}`,
      {
        code: 'unreachable',
        hint: `check ${options.variable}: it should be the provider's issuer, whose /.well-known/openid-configuration answers`,
      },
    );
  }
  const found = typeof document === 'object' && document !== null ? (document as { issuer?: unknown; token_endpoint?: unknown }) : {};
  if (found.issuer !== issuer) {
    throw new FlowError(
      'issuer_mismatch',
      `the discovery document ${where} names the issuer ${JSON.stringify(found.issuer ?? null)}, not ${issuer}; no token was requested`,
      `set ${options.variable} to exactly the issuer the provider names (scheme, host, path, trailing slash)`,
    );
  }
  let endpoint: URL;
  try {
    endpoint = new URL(String(found.token_endpoint));
  } catch {
    throw new IdpUnavailableError(`the discovery document ${where} names no token_endpoint`, {
      code: 'not_oauth',
      hint: `check ${options.variable}`,
    });
  }
  if (
    endpoint.protocol !== 'https:' &&
    !(endpoint.protocol === 'http:' && (isLoopbackHost(endpoint.hostname) || options.allowInsecureHttp))
  ) {
    throw new FlowError(
      'insecure_endpoint',
      `the discovery document ${where} names a token endpoint that is not https: ${endpoint.href}`,
      'the provider must publish an https token endpoint',
    );
  }
  return endpoint.href;
}
