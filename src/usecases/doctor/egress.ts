import { portProblem } from '../../callback/port-check.js';
import { ok, warning, type Finding } from '../../diagnosis/findings.js';
import { epochSeconds } from '../../flows/freshness.js';
import { findServerToken } from '../../store/token-files.js';
import type { Deps } from '../deps.js';

const PORT_REASONS: Record<string, string> = {
  EADDRINUSE: 'another program listens there',
  EACCES: 'this user may not listen there (a port below 1024)',
};

/** Each egress set: its callback port free to listen on, and its token there and renewable. */
export async function egressFindings(deps: Pick<Deps, 'config' | 'store' | 'clock'>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const set of deps.config.egress.value) {
    const variable = `EGRESS_OAUTH_REDIRECT_URI_${set.index}`;
    const problem = await portProblem(set.redirectUri);
    findings.push(
      problem === undefined
        ? ok('egress', `${set.provider} (set ${set.index}): the callback ${set.redirectUri.href} can listen`)
        : warning(
            'egress',
            `${set.provider} (set ${set.index}): port ${set.redirectUri.port} of ${set.redirectUri.href} is not free (${PORT_REASONS[problem] ?? problem}), so a browser sign-in cannot receive its callback`,
            `stop what holds the port, or set ${variable} to another loopback port and register that redirect URI with ${set.provider}`,
          ),
    );
    const token = await findServerToken(deps.store, set.server).catch(() => undefined);
    if (!token) {
      findings.push(
        warning('egress', `${set.provider} (${set.server}): no token yet`, `sign in: mcpgw-creds --egress-only --provider ${set.provider}`),
      );
    } else if (token.record.expires_at <= epochSeconds(deps.clock) && !token.record.refresh_token) {
      findings.push(
        warning(
          'egress',
          `${set.provider} (${set.server}): the token expired and has no refresh token`,
          `sign in again: mcpgw-creds --egress-only --provider ${set.provider}`,
        ),
      );
    }
  }
  return findings;
}
