import { isoSeconds } from '../store/records.js';
import { allowedByServer, isAllowed, type GroupAccess } from './access.js';
import type { TokenFacts } from './token-facts.js';

/** Where each identity provider is told to put groups into a machine's access token. */
const GROUPS_FIX: Record<string, string> = {
  keycloak_m2m:
    'in Keycloak, give the client a "Group Membership" mapper (token claim name groups, full group path off, add to access token) and the basic client scope; mcpgw-creds keycloak create-agent sets both up',
  cognito_m2m: "Cognito's client-credentials tokens carry scopes, not groups: map the token's scopes in the gateway's scopes.yml",
  entra_m2m:
    'in Entra ID, add a groups claim (App registration > Token configuration > Add groups claim) or assign app roles to the application (they arrive in roles)',
  okta_m2m:
    'in Okta, add a groups claim to the authorization server (Security > API > Authorization Servers > Claims, included in access tokens)',
  auth0_m2m: 'in Auth0, add a Machine to Machine (credentials-exchange) Action that sets the namespaced claim https://mcp-gateway/groups',
  pingfederate_m2m: 'in PingFederate, map a multi-valued groups attribute into the JWT access token manager for this client',
};

/** What to do when a token carries no groups claim at all. */
export function groupsClaimFix(provider: string): string {
  return GROUPS_FIX[provider] ?? 'make the identity provider put a groups claim into the access tokens of this client';
}

/** The membership fix when the groups claim is there but empty. */
function membershipFix(provider: string): string {
  return provider === 'keycloak_m2m'
    ? "put the client's service account into a group the gateway maps (mcpgw-creds keycloak create-agent --agent-id ID --group mcp-servers-restricted does it for an agent)"
    : 'give the client membership of a group the gateway maps in its scopes.yml';
}

/** A refusal by the gateway, and what is known around it. */
export interface Refusal {
  status: number;
  server: string;
  /** The JSON-RPC method refused (`initialize`, `tools/list`, `tools/call`). */
  method: string;
  tool?: string | undefined;
  /** The names of the headers that were sent. */
  headersSent: string[];
  /** The ingress token as sent, read without verification. */
  ingress: TokenFacts | undefined;
  /** The issuer the configuration names now, when it is known without a request. */
  expectedIssuer?: string | undefined;
  /** The server takes an egress token (Authorization), and whether one was sent. */
  egress: { expected: boolean; sent: boolean; provider?: string | undefined };
  /** What the gateway's scopes.yml grants the token's groups, when the file was given. */
  access?: GroupAccess | undefined;
  nowSeconds: number;
}

export interface Explanation {
  cause: string;
  fix: string;
  /** What was looked at: groups, expiry, headers, issuer. */
  facts: string[];
}

const what = (refusal: Refusal): string =>
  refusal.method === 'tools/call' && refusal.tool
    ? `tools/call of ${refusal.tool} on ${refusal.server}`
    : `${refusal.method} on ${refusal.server}`;

function factsOf(refusal: Refusal): string[] {
  const facts = [`headers sent: ${refusal.headersSent.join(', ') || '(none)'}`];
  const token = refusal.ingress;
  if (!token) return facts;
  facts.push(
    token.groups
      ? `groups (claim ${token.groups.claim}): ${token.groups.groups.join(', ') || '(none)'}`
      : 'groups: no groups claim in the token',
  );
  facts.push(
    token.expiresIn > 0 ? `token valid until ${isoSeconds(token.expiresAt)}` : `token EXPIRED at ${isoSeconds(token.expiresAt)}`,
    `issuer: ${token.issuer ?? '(opaque token)'}; client: ${token.client}; audience: ${token.audience.join(', ') || '(none)'}`,
  );
  return facts;
}

/**
 * Why the gateway answered 401 or 403, from what was sent and what the token holds (the gateway's
 * own answer says no more than "Authentication required" or "Access forbidden"), and what to do.
 */
export function explainRefusal(refusal: Refusal): Explanation {
  const facts = factsOf(refusal);
  const token = refusal.ingress;
  const explained = (cause: string, fix: string): Explanation => ({ cause, fix, facts });
  if (!refusal.headersSent.includes('X-Authorization') || !token) {
    return explained('no ingress token was sent (no X-Authorization header)', 'run mcpgw-creds --ingress-only, then try again');
  }
  if (token.expiresIn <= 0) {
    return explained(
      `the ingress token expired at ${isoSeconds(token.expiresAt)}`,
      'run mcpgw-creds --ingress-only --force; keep tokens fresh with mcpgw-creds refresh --watch (or a client that runs mcpgw-creds headers)',
    );
  }
  if (refusal.egress.expected && !refusal.egress.sent) {
    return explained(
      `${refusal.server} acts for you at ${refusal.egress.provider ?? 'an external provider'}, and no egress token was sent (no Authorization header)`,
      `sign in: mcpgw-creds --egress-only${refusal.egress.provider ? ` --provider ${refusal.egress.provider}` : ''}`,
    );
  }
  if (refusal.status === 401) {
    if (refusal.expectedIssuer && token.issuer && token.issuer !== refusal.expectedIssuer) {
      return explained(
        `the token was issued by ${token.issuer}, but the configuration now names ${refusal.expectedIssuer} (was KEYCLOAK_URL or KEYCLOAK_REALM changed?)`,
        'run mcpgw-creds --ingress-only --force for a token from the configured provider, and check that the gateway trusts the same one',
      );
    }
    return explained(
      `the gateway did not accept the ingress token, which is valid by its own claims (issuer ${token.issuer ?? 'unknown'})`,
      "check that the gateway trusts this issuer and realm (its AUTH_PROVIDER and identity-provider settings) and this audience, and that the gateway's clock is right; mcpgw-creds doctor checks this side" +
        (refusal.egress.sent
          ? ''
          : `; if ${refusal.server} acts for you at an external provider, it needs an egress token too: configure an egress set with EGRESS_MCP_SERVER_NAME_N=${refusal.server}, then mcpgw-creds --egress-only`),
    );
  }
  // 403: the token was accepted; its groups do not allow the request.
  if (!token.groups) {
    return explained('the token carries no groups claim, so the gateway grants it nothing', groupsClaimFix(token.provider));
  }
  if (token.groups.groups.length === 0) {
    return explained(`the token's groups claim (${token.groups.claim}) is empty`, membershipFix(token.provider));
  }
  const access = refusal.access;
  if (access) {
    const nearMiss = access.groups.find((entry) => entry.scopes.length === 0 && entry.nearest !== undefined);
    if (nearMiss && access.grants.length === 0) {
      return explained(
        `the group "${nearMiss.group}" maps to nothing in scopes.yml, which maps "${nearMiss.nearest ?? ''}" (group names are compared exactly)`,
        `rename the group at the identity provider or in group_mappings so that both read the same, e.g. "${nearMiss.nearest ?? ''}"`,
      );
    }
    if (!isAllowed(access.grants, refusal.server, refusal.method, refusal.tool)) {
      const mapped = access.groups.filter((entry) => entry.scopes.length > 0);
      const allowed = allowedByServer(access.grants).find((entry) => entry.server === refusal.server || entry.server === '*');
      return explained(
        mapped.length === 0
          ? `none of the token's groups (${token.groups.groups.join(', ')}) is in scopes.yml's group_mappings`
          : `the groups ${mapped.map((entry) => entry.group).join(', ')} map to ${[...new Set(mapped.flatMap((entry) => entry.scopes))].join(', ')}, which do not allow ${what(refusal)}` +
              (allowed
                ? ` (they allow ${allowed.tools.length > 0 ? `the tools ${allowed.tools.join(', ')}` : `the methods ${allowed.methods.join(', ')}`})`
                : ''),
        refusal.method === 'tools/call' && refusal.tool
          ? `add ${refusal.tool} to the tools of a scope those groups map to (for server ${refusal.server}), or put the client into a group whose scopes allow it`
          : `add ${refusal.method} to the methods of a scope for server ${refusal.server} that one of the groups maps to`,
      );
    }
    return explained(
      `the scopes file given allows ${what(refusal)} for these groups, yet the gateway refused it: it applies other scopes (another file, or those in its database)`,
      "compare the gateway's current scopes with the file given (its registry UI or API shows them)",
    );
  }
  return explained(
    `the gateway does not allow ${what(refusal)} for the groups ${token.groups.groups.join(', ')}`,
    `see what those groups allow with mcpgw-creds whoami --scopes-file <the gateway's scopes.yml>; then map one of them to a scope that grants ${refusal.tool ?? refusal.method}, or put the client into a group that has it`,
  );
}
