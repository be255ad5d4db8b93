import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/run-cli.js';

/** SPEC §2's variables, and the numbered sets of §2 and §5. */
const SPEC_VARIABLES = [
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
  it.each(SPEC_VARIABLES)('lists %s with a comment above it', (name) => {
    const index = lines.findIndex((line) => new RegExp(`^(# )?${name}=`).test(line));
    expect(index).toBeGreaterThan(0);
    expect(lines.slice(Math.max(0, index - 3), index).some((line) => line.startsWith('#') && !/^# [A-Z_0-9]+=/.test(line))).toBe(true);
  });
});
