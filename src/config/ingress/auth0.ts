import type { Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { IngressConfig } from '../types.js';
import type { UrlRules } from '../urls.js';
import { domainUrl, ingressClient, required } from './common.js';

/**
 * Auth0: client credentials at `https://{AUTH0_DOMAIN}/oauth/token`, for the API AUTH0_AUDIENCE names
 * (the `audience` parameter); a private_key_jwt assertion names the domain as an audience too.
 */
export function resolveAuth0(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  const domain = domainUrl(env, 'AUTH0_DOMAIN', rules, problems, 'my-tenant.us.auth0.com');
  const audience = required(
    env,
    'AUTH0_AUDIENCE',
    problems,
    "the identifier of the API the gateway accepts (Auth0's APIs page), e.g. https://gateway.example.com",
  );
  const client = ingressClient(env, problems, {
    idVariable: 'AUTH0_M2M_CLIENT_ID',
    secretVariable: 'AUTH0_M2M_CLIENT_SECRET',
    scopeVariable: 'AUTH0_SCOPE',
    defaultMethod: 'client_secret_post',
    urlOrigin: 'AUTH0_DOMAIN',
    params: audience ? { audience } : {},
    assertionAudiences: domain ? [`${domain}/`] : [],
    hints: {
      // Auth0 answers access_denied both to a wrong secret and to an API the application may not call.
      access_denied:
        'check AUTH0_M2M_CLIENT_ID and {secret}, and AUTH0_AUDIENCE: the identifier of an API the application is authorized for (Auth0: Applications > APIs > Machine to Machine Applications)',
    },
  });
  if (!domain || !audience || !client) return undefined;
  return {
    provider: 'auth0',
    client: {
      issuer: `${domain}/`,
      tokenEndpoint: `${domain}/oauth/token`,
      clientId: client.clientId,
      credential: client.credential,
      ...client.rest,
    },
    fields: { auth0_domain: domain.replace(/^https:\/\//, ''), audience },
  };
}
