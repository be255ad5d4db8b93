/**
 * The token files of SPEC §5: their names and fields. Times are seconds since the epoch; the
 * `*_human` fields are ISO 8601 UTC.
 */
export interface TokenRecord {
  provider: string;
  access_token: string;
  token_type: string;
  expires_at: number;
  expires_at_human: string;
  client_id: string;
  scope?: string;
  refresh_token?: string;
  saved_at: number;
  [extra: string]: unknown;
}

export const INGRESS_FILE = 'ingress.json';
export const AGENTCORE_PROVIDER = 'bedrock-agentcore';

export function agentTokenFile(agentId: string): string {
  return `agent-${agentId}-token.json`;
}

/** `{provider}-{server}-egress.json`, or `{provider}-egress.json` when the server is the provider. */
export function egressFile(provider: string, server: string): string {
  return server === provider ? `${provider}-egress.json` : `${provider}-${server}-egress.json`;
}

export function agentCoreFile(server: string): string {
  return egressFile(AGENTCORE_PROVIDER, server);
}

export function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reads a value as a token record when it has the fields every record has. */
export function asTokenRecord(value: unknown): TokenRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.access_token !== 'string' || record.access_token === '') return undefined;
  if (typeof record.expires_at !== 'number' || typeof record.provider !== 'string') return undefined;
  return record as TokenRecord;
}

/** Seconds the token stays valid from `now`; negative once expired. */
export function secondsLeft(record: Pick<TokenRecord, 'expires_at'>, nowSeconds: number): number {
  return record.expires_at - nowSeconds;
}

/** SPEC §3: a token valid for more than this is reused without a network call. */
export const REUSE_MARGIN_SECONDS = 300;

/**
 * The margin a token is renewed at: `margin`, but with `halfLife` never more than half the token's
 * lifetime, so a token that lives shorter than twice the margin is not renewed on every check.
 */
export function renewalMargin(record: Pick<TokenRecord, 'expires_at' | 'saved_at'>, margin: number, halfLife = false): number {
  return halfLife ? Math.min(margin, Math.max(0, (record.expires_at - record.saved_at) / 2)) : margin;
}
