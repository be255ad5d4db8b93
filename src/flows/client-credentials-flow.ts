import type { ClientCredentialsClient } from '../config/types.js';
import type { IssuedToken } from '../oauth/client-credentials.js';
import type { Clock } from '../ports.js';
import { asTokenRecord, type TokenRecord } from '../store/records.js';
import type { TokenStore } from '../store/token-store.js';
import { epochSeconds, isRenewalDue } from './freshness.js';
import { tokenRecord } from './token-record.js';

export interface ClientCredentialsDeps {
  store: TokenStore;
  clock: Clock;
  request: (client: ClientCredentialsClient) => Promise<IssuedToken>;
}

export interface ClientCredentialsTarget {
  file: string;
  client: ClientCredentialsClient;
  /** The record fields before the token's own (e.g. `provider`), in file order. */
  head: Record<string, unknown>;
  /** The record fields after the token's own (e.g. `keycloak_url`, `realm`), in file order. */
  tail: Record<string, unknown>;
}

export interface TokenOptions {
  /** Obtain a new token even when the stored one is still fresh. */
  force: boolean;
  /** The freshness margin (see flows/freshness.ts). */
  marginSeconds: number;
}

export interface ObtainedToken {
  status: 'ok' | 'cached';
  file: string;
  record: TokenRecord;
}

/**
 * Obtains a client-credentials token, or reuses the stored one. Steps:
 * 1. read the stored record; reuse it when it was issued for the same client and settings, covers
 *    the requested scopes and is not due for renewal (unless `force`). Files are replaced
 *    atomically, so this read needs no lock, and the common cached path takes none;
 * 2. otherwise take the file's lock and read again: a concurrent run may have just renewed it;
 * 3. request a new token and write the record atomically, still under the lock, so concurrent
 *    runs make one request between them.
 */
export async function obtainClientCredentialsToken(
  deps: ClientCredentialsDeps,
  target: ClientCredentialsTarget,
  options: TokenOptions,
): Promise<ObtainedToken> {
  const cached = async (): Promise<ObtainedToken | undefined> => {
    const stored = asTokenRecord(await deps.store.readJson(target.file));
    if (!stored || !isReusable(stored, target) || isRenewalDue(stored, epochSeconds(deps.clock), options.marginSeconds)) return undefined;
    return { status: 'cached', file: deps.store.pathOf(target.file), record: stored };
  };
  if (!options.force) {
    const reused = await cached();
    if (reused) return reused;
  }
  return deps.store.withLock(target.file, async () => {
    if (!options.force) {
      const reused = await cached();
      if (reused) return reused;
    }
    const { answer, tokenEndpoint } = await deps.request(target.client);
    const record = tokenRecord({
      head: target.head,
      clientId: target.client.clientId,
      // RFC 6749 §5.1: an answer without `scope` granted the scope requested (Entra never names it).
      answer: { ...answer, scope: answer.scope ?? target.client.scope },
      savedAt: epochSeconds(deps.clock),
      // token_url is the endpoint used (discovered, for a provider known by its issuer); not compared on reuse.
      tail: { token_url: tokenEndpoint, ...target.tail },
    });
    const file = await deps.store.writeJson(target.file, record);
    return { status: 'ok', file, record };
  });
}

/** The fields of a record that the token endpoint's answer fills in; every other one is a setting. */
const ANSWER_FIELDS = new Set([
  'access_token',
  'token_type',
  'expires_at',
  'expires_at_human',
  'scope',
  'refresh_token',
  'saved_at',
  'token_url',
  'client_id',
]);

/**
 * Issued for the same client and settings (the same settings recorded, none more, none fewer: a
 * token for a resource is not reused once INGRESS_RESOURCE is unset), at the same token endpoint,
 * with every requested scope granted.
 */
function isReusable(stored: TokenRecord, target: ClientCredentialsTarget): boolean {
  if (stored.client_id !== target.client.clientId) return false;
  const settings: Record<string, unknown> = { ...target.head, ...target.tail };
  const names = new Set([...Object.keys(settings), ...Object.keys(stored).filter((name) => !ANSWER_FIELDS.has(name))]);
  for (const name of names) {
    if (stored[name] !== settings[name]) return false;
  }
  // A record from before token_url was kept is judged on the rest.
  if (
    target.client.tokenEndpoint !== undefined &&
    typeof stored.token_url === 'string' &&
    stored.token_url !== target.client.tokenEndpoint
  ) {
    return false;
  }
  if (target.client.scope) {
    const granted = new Set((stored.scope ?? '').split(' '));
    if (!target.client.scope.split(' ').every((scope) => granted.has(scope))) return false;
  }
  return true;
}
