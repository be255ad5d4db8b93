import type { Clock } from '../ports.js';
import type { TokenRecord } from '../store/records.js';

/** Reuse a token while it stays valid for more than this, unless told otherwise (5 minutes). */
export const DEFAULT_MARGIN_SECONDS = 300;

/** Seconds since the epoch, as token files count time. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}

/**
 * The one freshness rule of every path (the main run, `token`, `headers`, `refresh`, the
 * watcher): a token is renewed when it has less than `min(margin, half its lifetime)` left. The
 * half-life cap keeps short tokens (Keycloak's 5 minutes) from being renewed on every call: with
 * a 5-minute margin, a 300 s token would otherwise always be "about to expire".
 *
 * A record whose lifetime cannot be told (no `saved_at`) gets the plain margin.
 */
export function renewalMarginOf(record: Pick<TokenRecord, 'expires_at' | 'saved_at'>, marginSeconds: number): number {
  if (typeof record.saved_at !== 'number') return marginSeconds;
  const lifetime = Math.max(0, record.expires_at - record.saved_at);
  return Math.min(marginSeconds, lifetime / 2);
}

/** Whether the token is due for renewal at `nowSeconds` (see `renewalMarginOf`). */
export function isRenewalDue(record: Pick<TokenRecord, 'expires_at' | 'saved_at'>, nowSeconds: number, marginSeconds: number): boolean {
  return record.expires_at - nowSeconds <= renewalMarginOf(record, marginSeconds);
}

/** Seconds from `nowSeconds` until the token becomes due (0 or less: due now). */
export function secondsUntilDue(record: Pick<TokenRecord, 'expires_at' | 'saved_at'>, nowSeconds: number, marginSeconds: number): number {
  return record.expires_at - renewalMarginOf(record, marginSeconds) - nowSeconds;
}
