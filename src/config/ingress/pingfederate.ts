import type { Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { IngressConfig } from '../types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from '../urls.js';
import { ingressClient, required } from './common.js';

/** PingFederate: client credentials at `{PINGFEDERATE_BASE_URL}/as/token.oauth2`, HTTP Basic by default. */
export function resolvePingFederate(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  const raw = required(env, 'PINGFEDERATE_BASE_URL', problems, 'the PingFederate base URL, e.g. https://sso.example.com');
  const base = raw === undefined ? undefined : checkServiceUrl(raw, 'PINGFEDERATE_BASE_URL', rules, problems);
  const client = ingressClient(env, problems, {
    idVariable: 'PINGFEDERATE_M2M_CLIENT_ID',
    secretVariable: 'PINGFEDERATE_M2M_CLIENT_SECRET',
    scopeVariable: 'PINGFEDERATE_SCOPE',
    defaultMethod: 'client_secret_basic',
    urlOrigin: 'PINGFEDERATE_BASE_URL',
  });
  if (!base || !client) return undefined;
  const root = baseUrlText(base);
  return {
    provider: 'pingfederate',
    client: {
      issuer: root,
      tokenEndpoint: `${root}/as/token.oauth2`,
      clientId: client.clientId,
      credential: client.credential,
      ...client.rest,
    },
    fields: { pingfederate_url: root },
  };
}
