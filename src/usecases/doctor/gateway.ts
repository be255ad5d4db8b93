import { error, ok, warning, type Finding } from '../../diagnosis/findings.js';
import { GatewayRefusedError, McpgwError } from '../../errors.js';
import { epochSeconds } from '../../flows/freshness.js';
import { GATEWAY_SERVER, ingressHeaders } from '../../render/servers.js';
import type { StoredToken } from '../../store/token-files.js';
import type { Deps } from '../deps.js';
import { probeWithHeaders } from '../probe-server.js';
import { boundedGet, failureOf } from './bounded-get.js';

/**
 * The gateway: it answers at REGISTRY_URL, asks for credentials, and, with the stored ingress token
 * (nothing renewed), lets a tools/list through on its own server; a refusal is explained.
 */
export async function gatewayFindings(deps: Deps, ingress: StoredToken | undefined, timeoutMs: number): Promise<Finding[]> {
  const registry = deps.config.settings.registryUrl;
  if (registry === undefined) return [];
  const url = new URL(`${registry}/${GATEWAY_SERVER}/mcp`);
  let status: number;
  try {
    status = (await boundedGet(deps.gatewayFetch, url.href, timeoutMs)).status;
  } catch (caught) {
    return [
      error('gateway', `cannot reach ${url.href}: ${failureOf(caught)}`, 'check REGISTRY_URL and that the gateway is reachable from here'),
    ];
  }
  if (status >= 500) return [error('gateway', `${url.href} answered HTTP ${status}`, 'the gateway has a problem: look at its logs')];
  if (status === 404)
    return [
      warning(
        'gateway',
        `${url.href} answered 404: no ${GATEWAY_SERVER} server there`,
        "check REGISTRY_URL: it is the gateway's base URL, without a server path",
      ),
    ];
  const findings: Finding[] = [
    status === 401 || status === 403
      ? ok('gateway', `answers at ${registry} and asks for credentials (HTTP ${status} without them)`)
      : warning(
          'gateway',
          `${url.href} answered HTTP ${status} to a request without credentials`,
          'a gateway answers 401 there; check REGISTRY_URL',
        ),
  ];
  if (!ingress || ingress.record.expires_at <= epochSeconds(deps.clock)) return findings;
  try {
    const outcome = await probeWithHeaders(deps, {
      server: GATEWAY_SERVER,
      url,
      headers: ingressHeaders(ingress.record),
      scopes: undefined,
      timeoutMs,
    });
    findings.push(ok('gateway', `tools/list on ${GATEWAY_SERVER} with the stored ingress token: ${outcome.tools.length} tools`));
  } catch (caught) {
    if (caught instanceof GatewayRefusedError) findings.push(error('gateway', caught.message, caught.hint));
    else
      findings.push(
        error(
          'gateway',
          `tools/list on ${GATEWAY_SERVER} failed: ${caught instanceof Error ? caught.message : String(caught)}`,
          caught instanceof McpgwError ? caught.hint : undefined,
        ),
      );
  }
  return findings;
}
