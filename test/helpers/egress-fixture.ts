import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalIdp } from '../servers/local-idp.js';

export const ATLASSIAN_SCOPES = ['read:jira-work', 'write:jira-work', 'offline_access'];

/**
 * Provider definitions aimed at a local identity provider: `atlassian` overrides the built-in one
 * (same auth_params, cloud_id_url and mcp_headers as Atlassian's), `localidp` is a plain provider.
 */
export function writeLocalProviders(dir: string, idp: LocalIdp): string {
  mkdirSync(dir, { recursive: true });
  const endpoints = `issuer: ${idp.issuer}
authorization_response_iss_parameter_supported: true
auth_url: ${idp.issuer}/protocol/openid-connect/auth
token_url: ${idp.issuer}/protocol/openid-connect/token
revocation_url: ${idp.issuer}/protocol/openid-connect/revoke
`;
  writeFileSync(
    path.join(dir, 'atlassian.yaml'),
    `display_name: Atlassian (local)
${endpoints}cloud_id_url: ${idp.baseUrl}/oauth/token/accessible-resources
scopes: [${ATLASSIAN_SCOPES.join(', ')}]
auth_params:
  audience: api.atlassian.com
  prompt: consent
mcp_headers:
  X-Atlassian-Cloud-Id: "{cloud_id}"
`,
  );
  writeFileSync(path.join(dir, 'localidp.yaml'), `display_name: Local IdP\n${endpoints}scopes: [offline_access, read:jira-work]\n`);
  return dir;
}

/** One egress set's variables. */
export function egressSet(index: number, provider: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [`EGRESS_PROVIDER_NAME_${index}`]: provider,
    [`EGRESS_OAUTH_CLIENT_ID_${index}`]: 'egress-app',
    [`EGRESS_OAUTH_REDIRECT_URI_${index}`]: `http://127.0.0.1:${port}/callback`,
    ...extra,
  };
}
