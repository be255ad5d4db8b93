import { AREAS, type Finding } from '../../diagnosis/findings.js';
import type { Deps } from '../deps.js';
import { clientFindings } from './clients.js';
import { configurationFindings } from './configuration.js';
import { egressFindings } from './egress.js';
import { gatewayFindings } from './gateway.js';
import { identityProviderFindings } from './identity-provider.js';
import { ingressTokenFindings } from './ingress-token.js';
import { tokensDirectoryFindings } from './tokens-directory.js';

/** Each request of `doctor` gets at most this long, and they run side by side. */
const CHECK_TIMEOUT_MS = 3000;

export interface DoctorReport {
  findings: Finding[];
  errors: number;
  warnings: number;
}

/**
 * Every check, grouped by area: configuration, identity provider (reachable, issuer, clock), the
 * ingress token (groups, audience, expiry), the tokens directory (owner, modes), the gateway
 * (reachable, and a tools/list with the stored token), egress callbacks, and installed clients.
 * Nothing is renewed or written; the requests run at once, each bounded in time.
 */
export async function doctor(deps: Deps): Promise<DoctorReport> {
  const timeoutMs = Math.min(CHECK_TIMEOUT_MS, deps.config.settings.httpTimeoutMs);
  const ingress = await ingressTokenFindings(deps);
  const groups = await Promise.all([
    Promise.resolve(configurationFindings(deps)),
    identityProviderFindings(deps, timeoutMs),
    Promise.resolve(ingress.findings),
    tokensDirectoryFindings(deps),
    gatewayFindings(deps, ingress.token, timeoutMs),
    egressFindings(deps),
    clientFindings(deps),
  ]);
  const findings = groups.flat().sort((a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area));
  return {
    findings,
    errors: findings.filter((finding) => finding.level === 'error').length,
    warnings: findings.filter((finding) => finding.level === 'warning').length,
  };
}
