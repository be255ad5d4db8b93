import { getVar, type Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { IngressConfig } from '../types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from '../urls.js';
import { ingressClient, required, scopeFrom } from './common.js';

const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$/;

/**
 * Microsoft Entra ID: client credentials at `{ENTRA_LOGIN_BASE_URL}/{tenant}/oauth2/v2.0/token`;
 * the scope defaults to the app's own `api://{ENTRA_CLIENT_ID}/.default`.
 */
export function resolveEntra(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  const tenant = required(env, 'ENTRA_TENANT_ID', problems, 'the directory (tenant) id or domain, e.g. contoso.onmicrosoft.com');
  if (tenant !== undefined && !TENANT.test(tenant)) problems.add(`ENTRA_TENANT_ID ("${tenant}") is not a tenant id or domain`);
  const baseRaw = getVar(env, 'ENTRA_LOGIN_BASE_URL') ?? 'https://login.microsoftonline.com';
  const base = checkServiceUrl(baseRaw, 'ENTRA_LOGIN_BASE_URL', rules, problems);
  const clientId = getVar(env, 'ENTRA_CLIENT_ID');
  const client = ingressClient(env, problems, {
    idVariable: 'ENTRA_CLIENT_ID',
    secretVariable: 'ENTRA_CLIENT_SECRET',
    scopeVariable: 'ENTRA_SCOPE',
    defaultMethod: 'client_secret_post',
    urlOrigin: 'ENTRA_TENANT_ID (and ENTRA_LOGIN_BASE_URL)',
    scope: scopeFrom(getVar(env, 'ENTRA_SCOPE')) ?? (clientId ? `api://${clientId}/.default` : undefined),
    certificateRequired: true,
    hints: {
      invalid_resource: `check ENTRA_SCOPE (default api://{ENTRA_CLIENT_ID}/.default): the Application ID URI of an API exposed in tenant ${tenant ?? ''}, then /.default`,
      invalid_scope:
        'check ENTRA_SCOPE: the client credentials grant takes one Application ID URI followed by /.default, e.g. api://gateway-app-id/.default',
      unauthorized_client: 'check ENTRA_CLIENT_ID and ENTRA_TENANT_ID: the application must be registered in that tenant',
    },
  });
  if (tenant === undefined || !TENANT.test(tenant) || !base || !client) return undefined;
  const root = `${baseUrlText(base)}/${encodeURIComponent(tenant)}`;
  return {
    provider: 'entra',
    client: {
      issuer: `${root}/v2.0`,
      tokenEndpoint: `${root}/oauth2/v2.0/token`,
      clientId: client.clientId,
      credential: client.credential,
      ...client.rest,
    },
    fields: { tenant_id: tenant },
  };
}
