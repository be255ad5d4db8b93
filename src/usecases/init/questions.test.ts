import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { AUTH_PROVIDERS } from '../../config/types.js';
import { PROVIDER_QUESTIONS } from './questions.js';

/** An answer of the kind each question's own example shows. */
const EXAMPLES: Record<string, string> = {
  KEYCLOAK_URL: 'https://keycloak.example.com',
  KEYCLOAK_REALM: 'mcp-gateway',
  INGRESS_OAUTH_USER_POOL_ID: 'us-east-1_AbCdEf123',
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  OKTA_DOMAIN: 'dev-123456.okta.com',
  OKTA_AUTH_SERVER_ID: 'default',
  AUTH0_DOMAIN: 'my-tenant.us.auth0.com',
  AUTH0_AUDIENCE: 'https://mcp-gateway',
  PINGFEDERATE_BASE_URL: 'https://sso.example.com',
  OIDC_ISSUER: 'https://idp.example.com/realms/main',
};

describe("init's questions", () => {
  for (const provider of AUTH_PROVIDERS) {
    it(`${provider}: the location answers alone (the client stood in for) make a complete ingress configuration`, () => {
      const questions = PROVIDER_QUESTIONS[provider];
      const env: Record<string, string> = { AUTH_PROVIDER: provider, [questions.clientId.variable]: 'c', [questions.secretVariable]: 's' };
      for (const question of questions.location) {
        const example = EXAMPLES[question.variable] ?? question.default;
        if (example !== undefined) env[question.variable] = example;
        else expect(question.optional, `${question.variable} needs an example here`).toBe(true);
      }
      const { config } = resolveConfig({ envFiles: [], ignoreEnvFiles: true }, { cwd: '/', processEnv: env });
      expect(config.ingress.problems).toEqual([]);
      expect(config.ingress.value?.provider).toBe(provider);
    });
  }
});
