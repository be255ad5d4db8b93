import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../secrets.js';
import { secretRegisteringFetch } from './secret-registering-fetch.js';

describe('secretRegisteringFetch', () => {
  it('registers the tokens of a JSON answer as it arrives, and passes the answer on untouched', async () => {
    const secrets = new SecretRegistry();
    const body = JSON.stringify({
      access_token: 'arrived-access-0123456789',
      refresh_token: 'arrived-refresh-0123456789',
      expires_in: 300,
    });
    const base: typeof fetch = () =>
      Promise.resolve(new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } }));
    const response = await secretRegisteringFetch(base, secrets)('http://127.0.0.1:9/token');
    expect(await response.text()).toBe(body);
    expect(secrets.redact('arrived-access-0123456789 arrived-refresh-0123456789')).toBe('[redacted] [redacted]');
  });

  it('leaves other answers alone', async () => {
    const secrets = new SecretRegistry();
    const base: typeof fetch = () =>
      Promise.resolve(new Response('access_token=not-json-0123456789', { headers: { 'content-type': 'text/plain' } }));
    await secretRegisteringFetch(base, secrets)('http://127.0.0.1:9/token');
    expect(secrets.redact('not-json-0123456789')).toBe('not-json-0123456789');
  });
});
