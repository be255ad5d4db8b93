import type { Configuration } from 'openid-client';

type Oidc = typeof import('openid-client');

/**
 * Lets openid-client talk plain http:// to the endpoints of `config`. Only reached for loopback
 * hosts, or with MCPGW_ALLOW_INSECURE_HTTP=1 (config/urls.ts checks every URL first); openid-client
 * marks the function deprecated only so that its uses stand out, as this one does.
 */
export function allowPlainHttp(oidc: Oidc, config: Configuration, urls: readonly string[]): void {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above: the URLs were checked
  if (urls.some((url) => url.startsWith('http:'))) oidc.allowInsecureRequests(config);
}
