import type { ClientCredentialsClient } from '../config/types.js';
import type { TokenAnswer } from '../oauth/client-credentials.js';
import type { Clock } from '../ports.js';
import { asTokenRecord, renewalMargin, REUSE_MARGIN_SECONDS, type TokenRecord } from '../store/records.js';
import type { TokenStore } from '../store/token-store.js';
import { tokenRecord } from './token-record.js';

export interface ClientCredentialsDeps {
  store: TokenStore;
  clock: Clock;
  request: (client: ClientCredentialsClient) => Promise<TokenAnswer>;
  /** Told of every token obtained, so the output layer can redact it. */
  onSecret: (value: string | undefined) => void;
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
  /** Obtain a new token even when the stored one is still valid. */
  force: boolean;
  /** A stored token is reused while it stays valid for more than this (default 5 minutes, SPEC §3). */
  marginSeconds?: number;
  /** Cap the margin at half the token's lifetime (`refresh`: a long buffer must not renew short tokens every time). */
  halfLife?: boolean;
}

export interface ObtainedToken {
  status: 'ok' | 'cached';
  file: string;
  record: TokenRecord;
}

/**
 * Obtains a client-credentials token, or reuses the stored one. Steps:
 * 1. read the stored record; reuse it when it was issued for the same client and settings, covers
 *    the requested scopes and stays valid for more than the margin (unless `force`). Files are
 *    replaced atomically, so this read needs no lock, and the common cached path takes none;
 * 2. otherwise take the file's lock and read again: a concurrent run may have just renewed it;
 * 3. request a new token and write the record atomically, still under the lock, so concurrent
 *    runs make one request between them.
 */
export async function obtainClientCredentialsToken(
  deps: ClientCredentialsDeps,
  target: ClientCredentialsTarget,
  options: TokenOptions,
): Promise<ObtainedToken> {
  const margin = options.marginSeconds ?? REUSE_MARGIN_SECONDS;
  const cached = async (): Promise<ObtainedToken | undefined> => {
    const stored = asTokenRecord(await deps.store.readJson(target.file));
    if (!stored || !isReusable(stored, target, Math.floor(deps.clock.now() / 1000), renewalMargin(stored, margin, options.halfLife))) return undefined;
    deps.onSecret(stored.access_token);
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
    const answer = await deps.request(target.client);
    deps.onSecret(answer.access_token);
    deps.onSecret(answer.refresh_token);
    const savedAt = Math.floor(deps.clock.now() / 1000);
    const record = tokenRecord({ head: target.head, clientId: target.client.clientId, answer, savedAt, tail: target.tail });
    const file = await deps.store.writeJson(target.file, record);
    return { status: 'ok', file, record };
  });
}

function isReusable(stored: TokenRecord, target: ClientCredentialsTarget, nowSeconds: number, margin: number): boolean {
  if (stored.expires_at - nowSeconds <= margin) return false;
  if (stored.client_id !== target.client.clientId) return false;
  for (const [key, value] of Object.entries({ ...target.head, ...target.tail })) {
    if (stored[key] !== value) return false;
  }
  if (target.client.scope) {
    const granted = new Set((stored.scope ?? '').split(' '));
    if (!target.client.scope.split(' ').every((scope) => granted.has(scope))) return false;
  }
  return true;
}
