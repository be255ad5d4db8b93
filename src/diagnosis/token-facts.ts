import { decodeJwtPayloadUnverified } from '../oauth/jwt.js';
import type { IngressConfig } from '../config/types.js';
import type { TokenRecord } from '../store/records.js';

/** Where a token's groups were found, and what they are. */
export interface GroupsClaim {
  claim: string;
  groups: string[];
}

/**
 * The groups a token carries, where the gateway looks for them: `cognito:groups` (Cognito);
 * `groups`, else the app roles in `roles` (Entra ID); a namespaced claim an Action adds (one
 * ending in `/groups` first), else `permissions` (Auth0); `groups` for the others.
 */
export function groupsOf(claims: Record<string, unknown> | undefined, provider: string): GroupsClaim | undefined {
  if (!claims) return undefined;
  // Auth0's custom claims are namespaced URLs; the gateway's default is https://mcp-gateway/groups.
  const urls = Object.keys(claims).filter((name) => /^https?:\/\//.test(name) && Array.isArray(claims[name]));
  const namespaced = urls.find((name) => name.endsWith('/groups')) ?? urls[0];
  const candidates: Record<string, Array<string | undefined>> = {
    cognito_m2m: ['cognito:groups'],
    entra_m2m: ['groups', 'roles'],
    auth0_m2m: [namespaced, 'permissions'],
  };
  // The first claim with groups in it; else the first that is there, empty.
  let empty: GroupsClaim | undefined;
  for (const claim of candidates[provider] ?? ['groups', 'cognito:groups']) {
    const value = claim === undefined ? undefined : claims[claim];
    if (claim === undefined || !Array.isArray(value)) continue;
    if (value.length > 0) return { claim, groups: value.map(String) };
    empty ??= { claim, groups: [] };
  }
  return empty;
}

/** What an access token says about itself, read WITHOUT verifying it: for diagnosis, never for trust. */
export interface TokenFacts {
  provider: string;
  /** False for an opaque token: then only the record's own fields are known. */
  jwt: boolean;
  subject: string | undefined;
  /** The client it was issued to: `azp`, `client_id`, Okta's `cid`, Entra's `appid`, else the record's. */
  client: string;
  audience: string[];
  issuer: string | undefined;
  /** Undefined when no claim the gateway reads groups from is there at all. */
  groups: GroupsClaim | undefined;
  scopes: string[];
  expiresAt: number;
  /** Seconds left (negative once expired). */
  expiresIn: number;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function tokenFacts(record: TokenRecord, nowSeconds: number): TokenFacts {
  const claims = decodeJwtPayloadUnverified(record.access_token);
  const audience = claims?.aud;
  const scopeClaim = claims?.scp ?? claims?.scope ?? record.scope;
  const scopes = Array.isArray(scopeClaim)
    ? scopeClaim.map(String)
    : typeof scopeClaim === 'string'
      ? scopeClaim.split(' ').filter(Boolean)
      : [];
  const expiresAt = typeof claims?.exp === 'number' ? claims.exp : record.expires_at;
  return {
    provider: record.provider,
    jwt: claims !== undefined,
    subject: text(claims?.sub),
    client: text(claims?.azp) ?? text(claims?.client_id) ?? text(claims?.cid) ?? text(claims?.appid) ?? record.client_id,
    audience: Array.isArray(audience) ? audience.map(String) : text(audience) !== undefined ? [audience as string] : [],
    issuer: text(claims?.iss),
    groups: groupsOf(claims, record.provider),
    scopes,
    expiresAt,
    expiresIn: expiresAt - nowSeconds,
  };
}

/**
 * The issuer a token from the configured provider names, when it is known without a request:
 * Cognito's issuer is its user pool's, which its domain does not tell.
 */
export function expectedIssuer(configured: IngressConfig | undefined): string | undefined {
  return configured && configured.provider !== 'cognito' ? configured.client.issuer : undefined;
}
