import { groupsClaimFix } from '../../diagnosis/denial.js';
import { error, ok, warning, type Finding } from '../../diagnosis/findings.js';
import { expectedIssuer, tokenFacts } from '../../diagnosis/token-facts.js';
import { McpgwError } from '../../errors.js';
import { epochSeconds } from '../../flows/freshness.js';
import { isoSeconds } from '../../store/records.js';
import { readIngress, type StoredToken } from '../../store/token-files.js';
import type { Deps } from '../deps.js';

/**
 * The stored ingress token, read without verification: there, fresh, issued by the configured
 * provider to the configured client, with a groups claim the gateway can map, and an audience.
 */
export async function ingressTokenFindings(
  deps: Pick<Deps, 'config' | 'store' | 'clock'>,
): Promise<{ findings: Finding[]; token: StoredToken | undefined }> {
  const configured = deps.config.ingress.value;
  let stored: StoredToken | undefined;
  try {
    stored = await readIngress(deps.store);
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return {
      findings: [error('ingress token', `cannot be read: ${message}`, caught instanceof McpgwError ? caught.hint : undefined)],
      token: undefined,
    };
  }
  if (!stored) {
    return {
      findings: configured ? [warning('ingress token', 'none yet', 'run mcpgw-creds --ingress-only')] : [],
      token: undefined,
    };
  }
  const facts = tokenFacts(stored.record, epochSeconds(deps.clock));
  const findings: Finding[] = [];
  if (facts.expiresIn <= 0) {
    findings.push(
      configured
        ? warning(
            'ingress token',
            `expired at ${isoSeconds(facts.expiresAt)}; it is renewed when next used`,
            'or renew it now: mcpgw-creds --ingress-only',
          )
        : error(
            'ingress token',
            `expired at ${isoSeconds(facts.expiresAt)}, and nothing is configured to renew it`,
            'set AUTH_PROVIDER and its variables (see .env.example), then run mcpgw-creds --ingress-only',
          ),
    );
  } else {
    findings.push(ok('ingress token', `${stored.record.provider} for ${facts.client}, valid until ${isoSeconds(facts.expiresAt)}`));
  }
  if (!facts.jwt) {
    findings.push(
      warning(
        'ingress token',
        'opaque (not a JWT): its groups cannot be read here',
        "the gateway needs a JWT access token; check the provider's access token format",
      ),
    );
    return { findings, token: stored };
  }
  if (!facts.groups) {
    findings.push(
      error(
        'ingress token',
        'no groups claim: the gateway maps groups to what a token may do, so it will answer 403',
        groupsClaimFix(stored.record.provider),
      ),
    );
  } else if (facts.groups.groups.length === 0) {
    findings.push(
      error(
        'ingress token',
        `the groups claim (${facts.groups.claim}) is empty: the gateway will answer 403`,
        'put the client (its service account) into a group the gateway maps',
      ),
    );
  } else {
    findings.push(ok('ingress token', `groups (claim ${facts.groups.claim}): ${facts.groups.groups.join(', ')}`));
  }
  if (facts.audience.length === 0) {
    findings.push(warning('ingress token', 'no audience (aud) claim', 'the gateway may check the audience; configure one at the provider'));
  } else if (stored.record.provider === 'keycloak_m2m' && facts.audience.every((audience) => audience === 'account')) {
    findings.push(
      warning(
        'ingress token',
        'its only audience is "account": the client lacks the basic client scope',
        'add the basic client scope to the client in Keycloak (mcpgw-creds keycloak create-agent does)',
      ),
    );
  }
  if (configured) {
    const expected = expectedIssuer(configured);
    if (expected !== undefined && facts.issuer !== undefined && facts.issuer !== expected) {
      findings.push(
        error(
          'ingress token',
          `issued by ${facts.issuer}, but the configuration names ${expected}`,
          'run mcpgw-creds --ingress-only --force for a token from the configured provider',
        ),
      );
    }
    if (stored.record.client_id !== configured.client.clientId) {
      findings.push(
        warning(
          'ingress token',
          `issued to ${stored.record.client_id}, but the configuration names ${configured.client.clientId}`,
          'run mcpgw-creds --ingress-only --force',
        ),
      );
    }
  }
  return { findings, token: stored };
}
