import { describe, expect, it } from 'vitest';
import type { ProviderDefinition } from '../providers/schema.js';
import { normaliseTokenResponse } from './token-response.js';

const definition = (fields: Partial<ProviderDefinition> = {}): ProviderDefinition =>
  ({ token_response_field: undefined, ...fields }) as ProviderDefinition;
const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

describe('normaliseTokenResponse', () => {
  it('turns an error sent with 200 (GitHub) into a 400 OAuth error', async () => {
    const response = await normaliseTokenResponse(
      json({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' }),
      definition(),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'bad_verification_code' });
  });
  it("lifts Slack's user token from authed_user", async () => {
    const response = await normaliseTokenResponse(
      json({
        ok: true,
        access_token: 'xoxb-bot',
        authed_user: { id: 'U1', access_token: 'xoxp-user', token_type: 'user', scope: 'search:read' },
      }),
      definition({ token_response_field: 'authed_user' }),
    );
    expect(await response.json()).toEqual({ id: 'U1', access_token: 'xoxp-user', token_type: 'Bearer', scope: 'search:read' });
  });
  it('drops the ID token and leaves the rest alone', async () => {
    const response = await normaliseTokenResponse(
      json({ access_token: 'a', token_type: 'Bearer', id_token: 'x.y.z', expires_in: 5 }),
      definition(),
    );
    expect(await response.json()).toEqual({ access_token: 'a', token_type: 'Bearer', expires_in: 5 });
  });
  it('passes a non-JSON answer through untouched', async () => {
    const original = new Response('<html>', { status: 502, headers: { 'content-type': 'text/html' } });
    expect(await normaliseTokenResponse(original, definition())).toBe(original);
  });
});
