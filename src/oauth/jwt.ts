/**
 * The payload of a JWT, decoded WITHOUT verifying its signature: for display and expiry hints only,
 * never for a trust decision. Undefined when the token is not a JWT (opaque tokens are normal).
 */
export function decodeJwtPayloadUnverified(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
