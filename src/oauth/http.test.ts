import { describe, expect, it } from 'vitest';
import { networkErrorCode, retryAfterMs } from './http.js';

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Thu, 26 Nov 2026 08:00:10 GMT', Date.parse('Thu, 26 Nov 2026 08:00:00 GMT'))).toBe(10_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('networkErrorCode', () => {
  it("finds the system code under fetch's TypeError", () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(networkErrorCode(new TypeError('fetch failed', { cause }))).toBe('ECONNREFUSED');
    expect(networkErrorCode(new TypeError('fetch failed'))).toBeUndefined();
  });
});
