/**
 * A token file's record (the fields every token file has). Times are seconds since the epoch; the
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
