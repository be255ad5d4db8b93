import { IdpUnavailableError } from '../errors.js';
import { MAX_LIFETIME_SECONDS, type TokenAnswer } from '../oauth/token-answer.js';
import { decodeJwtPayloadUnverified } from '../oauth/jwt.js';
import { isoSeconds, type TokenRecord } from '../store/records.js';

/**
 * When the server gives no `expires_in`: a JWT's `exp`, else the provider's declared lifetime;
 * else the token is recorded as expiring now, so it is never reused on a guess.
 */
function expiresAt(answer: Pick<TokenAnswer, 'access_token' | 'expires_in'>, savedAt: number, lifetime?: number): number {
  if (typeof answer.expires_in === 'number' && answer.expires_in > 0) return savedAt + Math.floor(answer.expires_in);
  const exp = decodeJwtPayloadUnverified(answer.access_token)?.exp;
  if (typeof exp === 'number') {
    if (!Number.isFinite(exp) || exp > savedAt + MAX_LIFETIME_SECONDS) {
      throw new IdpUnavailableError(
        `the identity provider issued a token whose "exp" (${String(exp)}) is not a usable expiry; nothing was saved`,
        {
          code: 'not_oauth',
          hint: 'a token that lives for more than ten years is not one to keep: check the identity provider',
        },
      );
    }
    return Math.floor(exp);
  }
  return savedAt + (lifetime ?? 0);
}

/** openid-client lower-cases `token_type`; headers and files read better as "Bearer". */
function normaliseTokenType(tokenType: string): string {
  return tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;
}

/**
 * A token file's record, fields in a fixed order: `head` (provider, server), the token's
 * own fields, then `tail` (keycloak_url, realm, cloud_id, ...).
 */
export function tokenRecord(options: {
  head: Record<string, unknown>;
  clientId: string;
  answer: TokenAnswer;
  savedAt: number;
  tail?: Record<string, unknown>;
  lifetime?: number;
}): TokenRecord {
  const { answer, savedAt } = options;
  const expires = expiresAt(answer, savedAt, options.lifetime);
  return {
    ...options.head,
    provider: String(options.head.provider),
    client_id: options.clientId,
    access_token: answer.access_token,
    token_type: normaliseTokenType(answer.token_type),
    ...(answer.refresh_token ? { refresh_token: answer.refresh_token } : {}),
    expires_at: expires,
    expires_at_human: isoSeconds(expires),
    ...(answer.scope ? { scope: answer.scope } : {}),
    saved_at: savedAt,
    ...options.tail,
  };
}
