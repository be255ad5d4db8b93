import { getVar, type Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { IngressConfig } from '../types.js';
import { checkServiceUrl, type UrlRules } from '../urls.js';
import { ingressClient, required } from './common.js';

/**
 * Any OpenID provider: the token endpoint comes from the discovery document of OIDC_ISSUER, whose
 * `issuer` must be exactly that (checked before any token request); OIDC_AUDIENCE is sent as the
 * `audience` parameter.
 */
export function resolveOidc(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  const issuer = required(env, 'OIDC_ISSUER', problems, "the provider's issuer, e.g. https://idp.example.com/realms/main");
  const url = issuer === undefined ? undefined : checkServiceUrl(issuer, 'OIDC_ISSUER', rules, problems);
  const audience = getVar(env, 'OIDC_AUDIENCE');
  const client = ingressClient(env, problems, {
    idVariable: 'OIDC_M2M_CLIENT_ID',
    secretVariable: 'OIDC_M2M_CLIENT_SECRET',
    scopeVariable: 'OIDC_SCOPE',
    defaultMethod: 'client_secret_post',
    urlOrigin: 'OIDC_ISSUER',
    params: audience ? { audience } : {},
  });
  if (issuer === undefined || !url || !client) return undefined;
  return {
    provider: 'oidc',
    // The issuer exactly as written: it is compared as a string with the discovery document's.
    client: { issuer, tokenEndpoint: undefined, clientId: client.clientId, credential: client.credential, ...client.rest },
    fields: { issuer, ...(audience ? { audience } : {}) },
  };
}
