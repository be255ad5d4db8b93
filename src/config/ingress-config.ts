import { getVar, type Env } from './env-files.js';
import { splitList } from './names.js';
import type { Problems } from './problems.js';
import type { CognitoIngress, IngressConfig, KeycloakIngress, KeycloakLocation } from './types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from './urls.js';

const DEFAULT_REALM = 'mcp-gateway';

/** Space-separated scopes from a variable that may also use commas; undefined when empty. */
export function scopeFrom(value: string | undefined): string | undefined {
  const scopes = splitList(value);
  return scopes.length > 0 ? scopes.join(' ') : undefined;
}

function required(env: Env, name: string, problems: Problems, what: string): string | undefined {
  const value = getVar(env, name);
  if (value === undefined) problems.add(`${name} is not set: put ${what} there`);
  return value;
}

/**
 * The ingress settings (SPEC §2, §4), or undefined when AUTH_PROVIDER is not set (ingress not
 * configured). Every problem is added to `problems`; nothing touches the network.
 */
export function resolveIngress(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  const provider = getVar(env, 'AUTH_PROVIDER')?.toLowerCase();
  if (provider === undefined) return undefined;
  if (provider === 'keycloak') return resolveKeycloak(env, rules, problems);
  if (provider === 'cognito') return resolveCognito(env, rules, problems);
  problems.add(`AUTH_PROVIDER is "${getVar(env, 'AUTH_PROVIDER')}": set it to keycloak or cognito`);
  return undefined;
}

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

function resolveKeycloak(env: Env, rules: UrlRules, problems: Problems): KeycloakIngress | undefined {
  if (getVar(env, 'KEYCLOAK_URL') === undefined) {
    problems.add('KEYCLOAK_URL is not set: put the Keycloak base URL there, e.g. https://idp.example.com');
  }
  const location = resolveKeycloakLocation(env, rules, problems);
  const clientId = required(env, 'KEYCLOAK_M2M_CLIENT_ID', problems, 'the client id of the M2M (service account) client');
  const clientSecret = required(env, 'KEYCLOAK_M2M_CLIENT_SECRET', problems, "that client's secret");
  if (!location || !clientId || !clientSecret) return undefined;
  return {
    provider: 'keycloak',
    keycloakUrl: location.url,
    realm: location.realm,
    client: {
      ...keycloakTokenEndpoint(location),
      clientId,
      clientSecret,
      scope: scopeFrom(getVar(env, 'KEYCLOAK_M2M_SCOPE')),
      auth: 'client_secret_post',
      origin: {
        clientId: 'KEYCLOAK_M2M_CLIENT_ID',
        clientSecret: 'KEYCLOAK_M2M_CLIENT_SECRET',
        scope: 'KEYCLOAK_M2M_SCOPE',
        url: 'KEYCLOAK_URL and KEYCLOAK_REALM',
      },
    },
  };
}

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * COGNITO_DOMAIN is either a full URL or a domain prefix; without it the prefix is the pool id
 * with `_` removed, lower-cased (SPEC §2).
 */
export function cognitoDomain(
  value: string | undefined,
  userPoolId: string,
  region: string,
  rules: UrlRules,
  problems: Problems,
): string | undefined {
  if (value !== undefined && value.includes('://')) {
    const url = checkServiceUrl(value, 'COGNITO_DOMAIN', rules, problems);
    return url ? baseUrlText(url) : undefined;
  }
  const prefix = value ?? userPoolId.replace('_', '').toLowerCase();
  if (!DOMAIN_PREFIX.test(prefix)) {
    problems.add(
      `COGNITO_DOMAIN ("${prefix}") is neither a URL nor a domain prefix: give the prefix (lower-case letters, ` +
        'digits, "-") or the full URL, e.g. https://auth.example.com',
    );
    return undefined;
  }
  return `https://${prefix}.auth.${region}.amazoncognito.com`;
}

function resolveCognito(env: Env, rules: UrlRules, problems: Problems): CognitoIngress | undefined {
  const userPoolId = required(env, 'INGRESS_OAUTH_USER_POOL_ID', problems, 'the Cognito user pool id, e.g. us-east-1_AbCdEf123');
  const clientId = required(env, 'INGRESS_OAUTH_CLIENT_ID', problems, 'the Cognito app client id');
  const clientSecret = required(env, 'INGRESS_OAUTH_CLIENT_SECRET', problems, "the app client's secret");
  if (userPoolId === undefined) return undefined;
  const match = POOL_ID.exec(userPoolId);
  if (!match) {
    problems.add(`INGRESS_OAUTH_USER_POOL_ID ("${userPoolId}") is not a user pool id: it looks like us-east-1_AbCdEf123`);
    return undefined;
  }
  const region = getVar(env, 'AWS_REGION') ?? match[1] ?? '';
  if (!REGION.test(region)) {
    problems.add(`AWS_REGION ("${region}") is not an AWS region, e.g. us-east-1`);
    return undefined;
  }
  const domain = cognitoDomain(getVar(env, 'COGNITO_DOMAIN'), userPoolId, region, rules, problems);
  if (!domain || !clientId || !clientSecret) return undefined;
  return {
    provider: 'cognito',
    userPoolId,
    region,
    domain,
    client: {
      issuer: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
      tokenEndpoint: `${domain}/oauth2/token`,
      clientId,
      clientSecret,
      scope: scopeFrom(getVar(env, 'INGRESS_OAUTH_SCOPE')),
      auth: 'client_secret_basic',
      origin: {
        clientId: 'INGRESS_OAUTH_CLIENT_ID',
        clientSecret: 'INGRESS_OAUTH_CLIENT_SECRET',
        scope: 'INGRESS_OAUTH_SCOPE',
        url: 'COGNITO_DOMAIN (or INGRESS_OAUTH_USER_POOL_ID and AWS_REGION)',
      },
    },
  };
}
