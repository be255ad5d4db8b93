import { isIP } from 'node:net';
import type { Problems } from './problems.js';

/** `localhost`, 127.0.0.0/8 and ::1: the hosts where plain http:// never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export interface UrlRules {
  /** MCPGW_ALLOW_INSECURE_HTTP=1: plain http:// to other hosts is accepted with a warning. */
  allowInsecureHttp: boolean;
}

/**
 * Parses the URL of an identity provider or a gateway. https:// always; http:// on loopback hosts
 * always; http:// elsewhere only with MCPGW_ALLOW_INSECURE_HTTP=1. Problems and warnings
 * name the variable. Returns the URL without a trailing slash.
 */
export function checkServiceUrl(raw: string, variable: string, rules: UrlRules, problems: Problems): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.add(`${variable} is not a URL ("${raw}"): write it like https://idp.example.com`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.add(`${variable} must start with https:// (got ${url.protocol}//)`);
    return undefined;
  }
  if (url.username || url.password) {
    problems.add(`${variable} must not carry a user name or password: put credentials in their own variables`);
    return undefined;
  }
  if (url.search || url.hash) {
    problems.add(`${variable} must not have a query or fragment ("${raw}")`);
    return undefined;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    if (!rules.allowInsecureHttp) {
      problems.add(
        `${variable} uses plain http:// to ${url.hostname}, which is not a loopback host: use https://, ` +
          'or set MCPGW_ALLOW_INSECURE_HTTP=1 to accept sending secrets unencrypted',
      );
      return undefined;
    }
    problems.warn(
      `${variable} uses plain http:// to ${url.hostname}: secrets and tokens cross the network unencrypted ` +
        '(allowed by MCPGW_ALLOW_INSECURE_HTTP=1)',
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** The URL as text without a trailing slash (URL keeps a lone "/" for an empty path). */
export function baseUrlText(url: URL): string {
  return url.href.replace(/\/+$/, '');
}
