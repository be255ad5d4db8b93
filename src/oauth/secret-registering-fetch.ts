import type { SecretRegistry } from '../secrets.js';

/** Fields of an identity provider's JSON answers that carry secrets. */
const SECRET_ANSWER_FIELDS = ['access_token', 'refresh_token', 'id_token', 'client_secret'] as const;
const TOKEN_MIN_LENGTH = 8;

/** Form fields of a request that carry secrets. */
const SECRET_FORM_FIELDS = [
  'client_secret',
  'refresh_token',
  'code',
  'code_verifier',
  'client_assertion',
  'device_code',
  'token',
  'password',
] as const;

function registerAnswer(body: unknown, secrets: SecretRegistry): void {
  for (const answer of Array.isArray(body) ? (body as unknown[]) : [body]) {
    if (typeof answer !== 'object' || answer === null) continue;
    for (const field of SECRET_ANSWER_FIELDS) {
      const value = (answer as Record<string, unknown>)[field];
      // Tokens are long; a hostile answer's one-letter "token" must not redact every such letter.
      if (typeof value === 'string') secrets.add(value, field === 'client_secret' ? 1 : TOKEN_MIN_LENGTH);
    }
  }
}

/** The credentials a request carries: its Authorization header (Basic or Bearer) and its secret form fields. */
function registerRequest(init: RequestInit | undefined, secrets: SecretRegistry): void {
  const authorization = new Headers(init?.headers).get('authorization');
  const credentials = authorization?.replace(/^\S+\s+/, '');
  if (credentials) secrets.add(credentials);
  if (init?.body instanceof URLSearchParams) {
    for (const field of SECRET_FORM_FIELDS) {
      const value = init.body.get(field) ?? undefined;
      secrets.add(value, field === 'client_secret' || field === 'password' ? 1 : TOKEN_MIN_LENGTH);
    }
  }
}

/**
 * The HTTP transport, telling the secret registry of every credential a request sends (an
 * identity provider may echo it: the Basic header is base64, not the secret as configured) and of
 * every token in a JSON answer the moment it arrives, so nothing said between receiving a token
 * and saving it can print one.
 */
export function secretRegisteringFetch(base: typeof fetch, secrets: SecretRegistry): typeof fetch {
  return async (input, init) => {
    registerRequest(init, secrets);
    const response = await base(input, init);
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      registerAnswer(
        await response
          .clone()
          .json()
          .catch(() => undefined),
        secrets,
      );
    }
    return response;
  };
}
