import { groupAccess, allowedByServer } from '../diagnosis/access.js';
import { groupsClaimFix } from '../diagnosis/denial.js';
import { tokenFacts, type GroupsClaim } from '../diagnosis/token-facts.js';
import { ConfigError } from '../errors.js';
import { epochSeconds } from '../flows/freshness.js';
import { isoSeconds } from '../store/records.js';
import { readIngress } from '../store/token-files.js';
import type { Deps } from './deps.js';
import { readScopesFile } from './probe-server.js';

/** A problem with the token as the gateway will see it, and what to do. */
interface WhoamiWarning {
  message: string;
  fix: string;
}

/** What the gateway's scopes.yml grants the token's groups. */
interface WhoamiAccess {
  scopes_file: string;
  groups: Array<{ group: string; scopes: string[]; did_you_mean?: string }>;
  allowed: Array<{ server: string; methods: string[]; tools: string[] }>;
  undefined_scopes: string[];
}

/** The stored ingress token as its claims say, UNVERIFIED (`verified: false` says so in `--json`). */
export interface WhoamiReport {
  verified: false;
  provider: string;
  subject: string | null;
  client: string;
  audience: string[];
  issuer: string | null;
  groups: GroupsClaim | null;
  scopes: string[];
  expires_at: number;
  expires_at_human: string;
  expires_in: number;
  access?: WhoamiAccess;
  warnings: WhoamiWarning[];
}

/**
 * `whoami`: who the stored ingress token says it is (nothing renewed, nothing verified), and with the
 * gateway's scopes.yml what its groups allow and which of them map to nothing.
 */
export async function whoami(deps: Pick<Deps, 'store' | 'clock'>, input: { scopesFile?: string | undefined }): Promise<WhoamiReport> {
  const scopes = input.scopesFile === undefined ? undefined : await readScopesFile(input.scopesFile);
  const stored = await readIngress(deps.store);
  if (!stored) throw new ConfigError('there is no ingress token yet', { hint: 'run mcpgw-creds --ingress-only' });
  const facts = tokenFacts(stored.record, epochSeconds(deps.clock));
  const warnings: WhoamiWarning[] = [];
  if (facts.expiresIn <= 0) {
    warnings.push({
      message: `the token expired at ${isoSeconds(facts.expiresAt)}: the gateway answers 401`,
      fix: 'run mcpgw-creds --ingress-only (the token and headers commands renew it too)',
    });
  }
  if (!facts.jwt) {
    warnings.push({
      message: 'the token is opaque (not a JWT): its claims cannot be read',
      fix: "the gateway needs a JWT access token; check the provider's access token format",
    });
  } else if (!facts.groups) {
    warnings.push({
      message: 'the token has no groups claim: the gateway maps groups to what a token may do, so it answers 403',
      fix: groupsClaimFix(stored.record.provider),
    });
  } else if (facts.groups.groups.length === 0) {
    warnings.push({
      message: `the groups claim (${facts.groups.claim}) is empty: the gateway answers 403`,
      fix: 'put the client (its service account) into a group the gateway maps',
    });
  }
  let access: WhoamiAccess | undefined;
  if (scopes && input.scopesFile !== undefined) {
    const granted = groupAccess(scopes, facts.groups?.groups ?? []);
    access = {
      scopes_file: input.scopesFile,
      groups: granted.groups.map((entry) => ({
        group: entry.group,
        scopes: entry.scopes,
        ...(entry.nearest === undefined ? {} : { did_you_mean: entry.nearest }),
      })),
      allowed: allowedByServer(granted.grants),
      undefined_scopes: granted.undefinedScopes,
    };
    for (const entry of granted.groups.filter((group) => group.scopes.length === 0)) {
      warnings.push(
        entry.nearest === undefined
          ? {
              message: `the group "${entry.group}" maps to nothing in ${input.scopesFile}`,
              fix: 'add it to group_mappings, or leave it if the gateway is not meant to grant it anything',
            }
          : {
              message: `the group "${entry.group}" maps to nothing in ${input.scopesFile}, which maps "${entry.nearest}" (group names are compared exactly)`,
              fix: `rename the group at the identity provider or in group_mappings so that both read the same, e.g. "${entry.nearest}"`,
            },
      );
    }
    for (const scope of granted.undefinedScopes) {
      warnings.push({
        message: `group_mappings names the scope "${scope}", which ${input.scopesFile} does not define`,
        fix: `define ${scope} (a list of {server, methods, tools}) or correct its name in group_mappings`,
      });
    }
  }
  return {
    verified: false,
    provider: stored.record.provider,
    subject: facts.subject ?? null,
    client: facts.client,
    audience: facts.audience,
    issuer: facts.issuer ?? null,
    groups: facts.groups ?? null,
    scopes: facts.scopes,
    expires_at: facts.expiresAt,
    expires_at_human: isoSeconds(facts.expiresAt),
    expires_in: facts.expiresIn,
    ...(access ? { access } : {}),
    warnings,
  };
}
