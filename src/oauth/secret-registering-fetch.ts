import type { SecretRegistry } from '../secrets.js';

/** Fields of an identity provider's JSON answers that carry secrets. */
const SECRET_ANSWER_FIELDS = ['access_token', 'refresh_token', 'id_token', 'client_secret'] as const;

/**
 * The HTTP transport, telling the secret registry of every token in a JSON answer the moment it
 * arrives: the third place secrets enter (after the configuration and the store), so nothing said
 * between receiving a token and saving it can print one.
 */
export function secretRegisteringFetch(base: typeof fetch, secrets: SecretRegistry): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      const body: unknown = await response
        .clone()
        .json()
        .catch(() => undefined);
      const answers = Array.isArray(body) ? (body as unknown[]) : [body];
      for (const answer of answers) {
        if (typeof answer !== 'object' || answer === null) continue;
        for (const field of SECRET_ANSWER_FIELDS) {
          const value = (answer as Record<string, unknown>)[field];
          if (typeof value === 'string') secrets.add(value);
        }
      }
    }
    return response;
  };
}
