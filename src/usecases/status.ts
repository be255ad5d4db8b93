import { epochSeconds } from '../flows/freshness.js';
import { groupsOf } from '../diagnosis/token-facts.js';
import { decodeJwtPayloadUnverified } from '../oauth/jwt.js';
import { listTokens, type StoredToken } from '../store/token-files.js';
import type { Deps } from './deps.js';
import { readLedger } from './install-ledger.js';

export interface TokenStatus {
  kind: StoredToken['kind'];
  name: string;
  provider: string;
  server?: string;
  expires_at: number;
  expires_at_human: string;
  expires_in: number;
  scope?: string;
  /** From the access token's claim the gateway reads groups from (see groupsOf), read without verifying it. */
  groups_unverified?: string[];
  /** That claim's name. */
  groups_claim?: string;
  renewal: 'client_credentials' | 'refresh_token' | 'sign_in';
  file: string;
}

export interface StatusReport {
  tokensDir: string;
  store: 'file' | 'keychain';
  tokens: TokenStatus[];
  /** The tokens that expire within the buffer. */
  expiring: TokenStatus[];
  /** What `install` put into which client's file. */
  installed: Array<{ client: string; scope: string; file: string; servers: Record<string, string> }>;
}

function statusOf(token: StoredToken, nowSeconds: number, pathOf: (name: string) => string): TokenStatus {
  const { record } = token;
  const groups = groupsOf(decodeJwtPayloadUnverified(record.access_token), record.provider);
  return {
    kind: token.kind,
    name: token.name,
    provider: record.provider,
    ...(typeof record.server === 'string' ? { server: record.server } : {}),
    expires_at: record.expires_at,
    expires_at_human: record.expires_at_human,
    expires_in: record.expires_at - nowSeconds,
    ...(record.scope ? { scope: record.scope } : {}),
    ...(groups ? { groups_unverified: groups.groups, groups_claim: groups.claim } : {}),
    renewal: token.kind === 'egress' ? (record.refresh_token ? 'refresh_token' : 'sign_in') : 'client_credentials',
    file: pathOf(token.file),
  };
}

/** Every stored token with its expiry, scopes, groups and how it renews. No request is made. */
export async function tokenStatus(deps: Pick<Deps, 'config' | 'store' | 'clock'>, input: { bufferSeconds: number }): Promise<StatusReport> {
  const now = epochSeconds(deps.clock);
  const tokens = (await listTokens(deps.store)).map((token) => statusOf(token, now, (name) => deps.store.pathOf(name)));
  return {
    tokensDir: deps.config.settings.tokensDir,
    store: deps.config.settings.store,
    tokens,
    expiring: tokens.filter((token) => token.expires_in <= input.bufferSeconds),
    installed: (await readLedger(deps.store)).map(({ client, scope, file, servers }) => ({
      client,
      scope,
      file,
      servers: Object.fromEntries(Object.entries(servers).map(([name, entry]) => [name, entry.mode])),
    })),
  };
}
