import { getVar, type Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { IngressConfig, KeycloakLocation } from '../types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from '../urls.js';
import { ingressClient } from './common.js';

const DEFAULT_REALM = 'mcp-gateway';

/** KEYCLOAK_URL and KEYCLOAK_REALM, when KEYCLOAK_URL is set. */
export function resolveKeycloakLocation(env: Env, rules: UrlRules, problems: Problems): KeycloakLocation | undefined {
  const raw = getVar(env, 'KEYCLOAK_URL');
  if (raw === undefined) return undefined;
  const url = checkServiceUrl(raw, 'KEYCLOAK_URL', rules, problems);
  const realm = getVar(env, 'KEYCLOAK_REALM') ?? DEFAULT_REALM;
  if (!/^[A-Za-z0-9._-]+$/.test(realm)) {
    problems.add(`KEYCLOAK_REALM ("${realm}") is not a realm name: use letters, digits, ".", "_" or "-"`);
    return undefined;
  }
  return url ? { url: baseUrlText(url), realm } : undefined;
}

export function keycloakTokenEndpoint(location: KeycloakLocation): { issuer: string; tokenEndpoint: string } {
  const issuer = `${location.url}/realms/${encodeURIComponent(location.realm)}`;
  return { issuer, tokenEndpoint: `${issuer}/protocol/openid-connect/token` };
}

/** Keycloak: client credentials at `{KEYCLOAK_URL}/realms/{KEYCLOAK_REALM}/protocol/openid-connect/token`. */
export function resolveKeycloak(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  if (getVar(env, 'KEYCLOAK_URL') === undefined)
    problems.add('KEYCLOAK_URL is not set: put the Keycloak base URL there, e.g. https://idp.example.com');
  const location = resolveKeycloakLocation(env, rules, problems);
  const client = ingressClient(env, problems, {
    idVariable: 'KEYCLOAK_M2M_CLIENT_ID',
    secretVariable: 'KEYCLOAK_M2M_CLIENT_SECRET',
    scopeVariable: 'KEYCLOAK_M2M_SCOPE',
    defaultMethod: 'client_secret_post',
    urlOrigin: 'KEYCLOAK_URL and KEYCLOAK_REALM',
  });
  if (!location || !client) return undefined;
  return {
    provider: 'keycloak',
    client: { ...keycloakTokenEndpoint(location), clientId: client.clientId, credential: client.credential, ...client.rest },
    fields: { keycloak_url: location.url, realm: location.realm },
  };
}
