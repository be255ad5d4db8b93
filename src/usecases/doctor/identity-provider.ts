import { error, ok, warning, type Finding } from '../../diagnosis/findings.js';
import type { Deps } from '../deps.js';
import { boundedGet, failureOf } from './bounded-get.js';

const SKEW_WARNING_S = 60;
const SKEW_ERROR_S = 300;

/**
 * The ingress provider: its discovery document answers, names the configured issuer (a wrong
 * KEYCLOAK_REALM shows here as a 404), and its Date header agrees with this clock.
 */
export async function identityProviderFindings(deps: Pick<Deps, 'config' | 'fetch' | 'clock'>, timeoutMs: number): Promise<Finding[]> {
  const ingress = deps.config.ingress.value;
  if (!ingress) return [];
  const { issuer, origin } = ingress.client;
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let answer;
  try {
    answer = await boundedGet(deps.fetch, url, timeoutMs);
  } catch (caught) {
    return [
      error(
        'identity provider',
        `cannot reach ${url}: ${failureOf(caught)}`,
        `check ${origin.url} and that the provider is reachable from here`,
      ),
    ];
  }
  const findings: Finding[] = [];
  if (answer.date !== undefined) {
    const skew = Math.round((deps.clock.now() - answer.date) / 1000);
    const clock = `this clock is ${Math.abs(skew)} s ${skew >= 0 ? 'ahead of' : 'behind'} the provider's`;
    const fix =
      "set the clock right (timedatectl set-ntp true, or your system's time settings): tokens look expired, or not yet valid, to whoever has the wrong time";
    if (Math.abs(skew) >= SKEW_ERROR_S) findings.push(error('identity provider', clock, fix));
    else if (Math.abs(skew) >= SKEW_WARNING_S) findings.push(warning('identity provider', clock, fix));
    else findings.push(ok('identity provider', `clock within ${Math.max(1, Math.abs(skew))} s of the provider's`));
  }
  if (answer.status === 404) {
    const realm = ingress.fields.realm;
    return [
      ...findings,
      ingress.provider === 'keycloak' && realm !== undefined
        ? error(
            'identity provider',
            `the realm "${realm}" does not exist at ${ingress.fields.keycloak_url ?? ''} (${url} answered 404)`,
            'check KEYCLOAK_REALM: realm names are case-sensitive (the realm list is in the admin console)',
          )
        : error('identity provider', `${url} answered 404: there is no provider for this issuer`, `check ${origin.url}`),
    ];
  }
  const document = answer.json as { issuer?: unknown; token_endpoint?: unknown } | undefined;
  if (answer.status !== 200 || typeof document?.issuer !== 'string') {
    return [
      ...findings,
      error('identity provider', `${url} answered HTTP ${answer.status} without a discovery document`, `check ${origin.url}`),
    ];
  }
  if (document.issuer !== issuer) {
    return [
      ...findings,
      error(
        'identity provider',
        `the discovery document names the issuer ${document.issuer}, not ${issuer}`,
        `check ${origin.url}: tokens from this provider name ${document.issuer}`,
      ),
    ];
  }
  findings.unshift(ok('identity provider', `${ingress.provider} answers at ${url}; issuer ${issuer}`));
  const configured = ingress.client.tokenEndpoint;
  if (configured !== undefined && typeof document.token_endpoint === 'string' && document.token_endpoint !== configured) {
    findings.push(
      warning(
        'identity provider',
        `the provider names the token endpoint ${document.token_endpoint}; mcpgw-creds uses ${configured}`,
        `check ${origin.url}`,
      ),
    );
  }
  return findings;
}
