import { getVar, type Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { IngressConfig } from '../types.js';
import type { UrlRules } from '../urls.js';
import { domainUrl, ingressClient } from './common.js';

/**
 * Okta: client credentials at `https://{OKTA_DOMAIN}/oauth2/{OKTA_AUTH_SERVER_ID}/v1/token` (a custom
 * authorization server), or `/oauth2/v1/token` (the org server) without one; HTTP Basic by default.
 */
export function resolveOkta(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  const domain = domainUrl(env, 'OKTA_DOMAIN', rules, problems, 'dev-123456.okta.com');
  const authServerId = getVar(env, 'OKTA_AUTH_SERVER_ID');
  if (authServerId !== undefined && !/^[A-Za-z0-9_-]+$/.test(authServerId)) {
    problems.add(`OKTA_AUTH_SERVER_ID ("${authServerId}") is not an authorization server id, e.g. default or aus1a2b3c4d5e6f7g8h9`);
  }
  const client = ingressClient(env, problems, {
    idVariable: 'OKTA_M2M_CLIENT_ID',
    secretVariable: 'OKTA_M2M_CLIENT_SECRET',
    scopeVariable: 'OKTA_SCOPE',
    defaultMethod: 'client_secret_basic',
    urlOrigin: 'OKTA_DOMAIN (and OKTA_AUTH_SERVER_ID)',
    hints: {
      invalid_scope:
        'set OKTA_SCOPE to a custom scope of the authorization server (Okta: Security > API > Authorization Servers > Scopes) that its access policy grants this client',
      ...(authServerId === undefined
        ? {
            invalid_client:
              "Okta's org authorization server takes client credentials only with a signed key: set OKTA_AUTH_SERVER_ID to the gateway's custom authorization server, or INGRESS_CLIENT_AUTH=private_key_jwt",
          }
        : {}),
    },
  });
  if (!domain || !client || (authServerId !== undefined && !/^[A-Za-z0-9_-]+$/.test(authServerId))) return undefined;
  if (authServerId === undefined && client.credential.method !== 'private_key_jwt') {
    problems.warn(
      "OKTA_AUTH_SERVER_ID is not set: Okta's org authorization server takes client credentials only with private_key_jwt (and issues tokens for Okta's own APIs); " +
        "set it to the gateway's custom authorization server (e.g. default)",
    );
  }
  const issuer = authServerId ? `${domain}/oauth2/${authServerId}` : domain;
  return {
    provider: 'okta',
    client: {
      issuer,
      tokenEndpoint: authServerId ? `${issuer}/v1/token` : `${domain}/oauth2/v1/token`,
      clientId: client.clientId,
      credential: client.credential,
      ...client.rest,
    },
    fields: { okta_domain: getVar(env, 'OKTA_DOMAIN') ?? domain, ...(authServerId ? { auth_server_id: authServerId } : {}) },
  };
}
