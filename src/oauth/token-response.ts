import type { ProviderDefinition } from '../providers/schema.js';

/**
 * Makes a provider's token endpoint answer look like RFC 6749 §5 before openid-client reads it:
 * - an error sent with status 200 (GitHub, Slack: `{"error": ...}` or `{"ok": false, "error": ...}`)
 *   becomes a 400, so it is reported as the OAuth error it is;
 * - Slack's user token, nested under `authed_user`, is lifted to the top level
 *   (`token_response_field`);
 * - `id_token` is dropped: mcpgw-creds never uses an ID token, and validating one would fail on
 *   providers whose issuer differs per tenant (Microsoft `common`) without protecting anything here.
 */
export async function normaliseTokenResponse(response: Response, definition: ProviderDefinition): Promise<Response> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return response;
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = await response.clone().json();
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return response;
    body = parsed as Record<string, unknown>;
  } catch {
    return response;
  }
  let status = response.status;
  if (status === 200 && typeof body.error === 'string' && typeof body.access_token !== 'string') status = 400;
  const field = definition.token_response_field;
  if (status === 200 && field && typeof body[field] === 'object' && body[field] !== null) {
    const nested = body[field] as Record<string, unknown>;
    body = { ...nested, token_type: typeof nested.token_type === 'string' && nested.token_type !== 'user' ? nested.token_type : 'Bearer' };
  }
  delete body.id_token;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status, statusText: response.statusText, headers });
}
