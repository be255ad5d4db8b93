import { getVar, type Env } from './env-files.js';
import { resolveKeycloakLocation } from './ingress/index.js';
import type { Problems } from './problems.js';
import type { KeycloakLocation } from './types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from './urls.js';

/** What the `keycloak` commands need: where the admin API is, who signs in to it, and the realm. */
export interface KeycloakAdminSettings {
  /** KEYCLOAK_URL and KEYCLOAK_REALM: the realm the agents live in; written into agent files. */
  location: KeycloakLocation;
  /** KEYCLOAK_ADMIN_URL, default KEYCLOAK_URL. */
  adminUrl: string;
  /** KEYCLOAK_ADMIN_REALM, default master: where the admin user signs in. */
  adminRealm: string;
  username: string;
  password: string;
}

/**
 * The admin settings, from the environment or .env only: a password never comes from argv, where
 * other users of the machine can read it.
 */
export function resolveKeycloakAdmin(env: Env, rules: UrlRules, problems: Problems): KeycloakAdminSettings | undefined {
  if (getVar(env, 'KEYCLOAK_URL') === undefined)
    problems.add('KEYCLOAK_URL is not set: put the Keycloak base URL there, e.g. https://idp.example.com');
  const location = resolveKeycloakLocation(env, rules, problems);
  const username = getVar(env, 'KEYCLOAK_ADMIN');
  const password = getVar(env, 'KEYCLOAK_ADMIN_PASSWORD');
  if (username === undefined)
    problems.add('KEYCLOAK_ADMIN is not set: put the Keycloak admin user there (environment or .env, never the command line)');
  if (password === undefined)
    problems.add('KEYCLOAK_ADMIN_PASSWORD is not set: put the admin password there (environment or .env, never the command line)');
  const adminRaw = getVar(env, 'KEYCLOAK_ADMIN_URL');
  const adminUrl =
    adminRaw === undefined
      ? location?.url
      : (() => {
          const url = checkServiceUrl(adminRaw, 'KEYCLOAK_ADMIN_URL', rules, problems);
          return url ? baseUrlText(url) : undefined;
        })();
  if (!location || !username || !password || !adminUrl) return undefined;
  return { location, adminUrl, adminRealm: getVar(env, 'KEYCLOAK_ADMIN_REALM') ?? 'master', username, password };
}
