import { MalformedAnswerError } from './errors.js';

// What every grant's answer is checked against before it is kept; no I/O and nothing heavy, so the
// flows and the store can use it without loading an OAuth client.

/** A token endpoint's answer, as far as mcpgw-creds keeps it. */
export interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number | undefined;
  scope: string | undefined;
  refresh_token: string | undefined;
}

/** RFC 6750 §2.1 `b64token`: what an access token (and its type) may hold to travel in a header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 6749 §A.17: a refresh token is printable ASCII. */
const VSCHARS = /^[\x20-\x7e]+$/;
/** Ten years: an answer that claims a longer life is not one to trust or to keep. */
export const MAX_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

/**
 * The fields mcpgw-creds keeps from openid-client's token endpoint response, checked: a token that
 * could not travel in a header (a newline would split it into two), or a lifetime no date can
 * hold, is a malformed answer, and nothing is written.
 */
export function tokenAnswer(answer: {
  access_token: string;
  token_type: string;
  expires_in?: number | undefined;
  scope?: string | undefined;
  refresh_token?: string | undefined;
}): TokenAnswer {
  if (!B64TOKEN.test(answer.access_token)) throw new MalformedAnswerError('an access token with characters a token may not hold');
  if (!B64TOKEN.test(answer.token_type)) throw new MalformedAnswerError('a token_type with characters a token type may not hold');
  if (answer.refresh_token !== undefined && !VSCHARS.test(answer.refresh_token)) {
    throw new MalformedAnswerError('a refresh token with characters a token may not hold');
  }
  const expiresIn = answer.expires_in;
  if (expiresIn !== undefined && !(Number.isFinite(expiresIn) && expiresIn >= 0 && expiresIn <= MAX_LIFETIME_SECONDS)) {
    throw new MalformedAnswerError(`an expires_in of ${String(expiresIn)} s, which is not a lifetime (at most ten years)`);
  }
  return {
    access_token: answer.access_token,
    token_type: answer.token_type,
    expires_in: answer.expires_in,
    scope: answer.scope,
    refresh_token: answer.refresh_token,
  };
}
