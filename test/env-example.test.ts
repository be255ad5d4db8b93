import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/run-cli.js';

/** Every documented variable: the shared ones, each provider's, and set 1 of the numbered sets. */
const DOCUMENTED_VARIABLES = [
  'AUTH_PROVIDER',
  'KEYCLOAK_URL',
  'KEYCLOAK_REALM',
  'KEYCLOAK_M2M_CLIENT_ID',
  'KEYCLOAK_M2M_CLIENT_SECRET',
  'KEYCLOAK_M2M_SCOPE',
  'INGRESS_OAUTH_USER_POOL_ID',
  'INGRESS_OAUTH_CLIENT_ID',
  'INGRESS_OAUTH_CLIENT_SECRET',
  'INGRESS_OAUTH_SCOPE',
  'AWS_REGION',
  'COGNITO_DOMAIN',
  'ENTRA_TENANT_ID',
  'ENTRA_CLIENT_ID',
  'ENTRA_CLIENT_SECRET',
  'ENTRA_SCOPE',
  'ENTRA_LOGIN_BASE_URL',
  'OKTA_DOMAIN',
  'OKTA_M2M_CLIENT_ID',
  'OKTA_M2M_CLIENT_SECRET',
  'OKTA_AUTH_SERVER_ID',
  'OKTA_SCOPE',
  'AUTH0_DOMAIN',
  'AUTH0_M2M_CLIENT_ID',
  'AUTH0_M2M_CLIENT_SECRET',
  'AUTH0_AUDIENCE',
  'AUTH0_SCOPE',
  'PINGFEDERATE_BASE_URL',
  'PINGFEDERATE_M2M_CLIENT_ID',
  'PINGFEDERATE_M2M_CLIENT_SECRET',
  'PINGFEDERATE_SCOPE',
  'OIDC_ISSUER',
  'OIDC_M2M_CLIENT_ID',
  'OIDC_M2M_CLIENT_SECRET',
  'OIDC_SCOPE',
  'OIDC_AUDIENCE',
  'INGRESS_CLIENT_AUTH',
  'INGRESS_PRIVATE_KEY_FILE',
  'INGRESS_KEY_ID',
  'INGRESS_RESOURCE',
  'EGRESS_PROVIDER_NAME_1',
  'EGRESS_OAUTH_CLIENT_ID_1',
  'EGRESS_OAUTH_CLIENT_SECRET_1',
  'EGRESS_OAUTH_REDIRECT_URI_1',
  'EGRESS_OAUTH_SCOPE_1',
  'EGRESS_MCP_SERVER_NAME_1',
  'EGRESS_ATLASSIAN_SITE_1',
  'REGISTRY_URL',
  'MCP_SERVERS',
  'MCPGW_TOKENS_DIR',
  'MCPGW_PROVIDERS_DIR',
  'MCPGW_ALLOW_INSECURE_HTTP',
  'AGENTCORE_CLIENT_ID_1',
  'AGENTCORE_CLIENT_SECRET_1',
  'AGENTCORE_TOKEN_URL_1',
  'AGENTCORE_SCOPE_1',
  'AGENTCORE_SERVER_NAME_1',
];

describe('.env.example', () => {
  const lines = readFileSync(path.join(REPO, '.env.example'), 'utf8').split('\n');
  it.each(DOCUMENTED_VARIABLES)('lists %s with a comment above it', (name) => {
    const index = lines.findIndex((line) => new RegExp(`^(# )?${name}=`).test(line));
    expect(index).toBeGreaterThan(0);
    expect(lines.slice(Math.max(0, index - 3), index).some((line) => line.startsWith('#') && !/^# [A-Z_0-9]+=/.test(line))).toBe(true);
  });
});
