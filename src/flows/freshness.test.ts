import { describe, expect, it } from 'vitest';
import { DEFAULT_MARGIN_SECONDS, isRenewalDue, renewalMarginOf, secondsUntilDue } from './freshness.js';

/** A token saved at 0 that lives `lifetime` seconds. */
const token = (lifetime: number): { saved_at: number; expires_at: number } => ({ saved_at: 0, expires_at: lifetime });

describe('the freshness rule: renew when less than min(margin, half the lifetime) is left', () => {
  it.each([
    // lifetime, margin, age (s since saved), due?
    [300, 300, 0, false], // Keycloak's 5-minute token, just issued: not "about to expire"
    [300, 300, 149, false],
    [300, 300, 150, true], // half its life gone
    [3600, 300, 3299, false], // an hour-long token: the 5-minute margin applies
    [3600, 300, 3300, true],
    [3600, 3600, 1799, false], // the watcher's 1 h buffer is capped at half the life
    [3600, 3600, 1800, true],
    [60, 300, 29, false],
    [60, 300, 30, true],
    [0, 300, 0, true], // no expiry known: recorded as expiring at once, never reused on a guess
  ])('a %i s token, margin %i s, %i s old → due: %s', (lifetime, margin, age, due) => {
    expect(isRenewalDue(token(lifetime), age, margin)).toBe(due);
  });

  it('uses the plain margin when the lifetime cannot be told (no saved_at)', () => {
    expect(renewalMarginOf({ expires_at: 1000 } as { expires_at: number; saved_at: number }, DEFAULT_MARGIN_SECONDS)).toBe(300);
  });

  it('says how long until a token is due (the watcher sleeps that long)', () => {
    expect(secondsUntilDue(token(300), 100, 3600)).toBe(50);
    expect(secondsUntilDue(token(3600), 0, 300)).toBe(3300);
    expect(secondsUntilDue(token(60), 100, 300)).toBeLessThan(0);
  });
});
