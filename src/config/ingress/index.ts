import path from 'node:path';
import { getVar, type Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import { AUTH_PROVIDERS, type AuthProvider, type IngressConfig } from '../types.js';
import type { UrlRules } from '../urls.js';
import { resolveAuth0 } from './auth0.js';
import { resolveCognito } from './cognito.js';
import { resolveEntra } from './entra.js';
import { resolveKeycloak } from './keycloak.js';
import { resolveOidc } from './oidc.js';
import { resolveOkta } from './okta.js';
import { resolvePingFederate } from './pingfederate.js';

const RESOLVERS: Record<AuthProvider, (env: Env, rules: UrlRules, problems: Problems) => IngressConfig | undefined> = {
  keycloak: resolveKeycloak,
  cognito: resolveCognito,
  entra: resolveEntra,
  okta: resolveOkta,
  auth0: resolveAuth0,
  pingfederate: resolvePingFederate,
  oidc: resolveOidc,
};

/**
 * The ingress settings, or undefined when AUTH_PROVIDER is not set (ingress not configured). Each
 * provider's variables are checked here, before any request; every problem names its variable.
 */
export function resolveIngress(
  env: Env,
  rules: UrlRules & { cwd: string; envFileOf: Readonly<Record<string, string>> },
  problems: Problems,
): IngressConfig | undefined {
  const provider = getVar(env, 'AUTH_PROVIDER')?.toLowerCase();
  if (provider === undefined) return undefined;
  if (!(AUTH_PROVIDERS as readonly string[]).includes(provider)) {
    problems.add(`AUTH_PROVIDER is "${getVar(env, 'AUTH_PROVIDER') ?? ''}": set it to ${AUTH_PROVIDERS.join(', ')}`);
    return undefined;
  }
  const ingress = RESOLVERS[provider as AuthProvider](env, rules, problems);
  if (ingress?.client.params.resource) {
    // Recorded, so that a token for another resource is not reused.
    ingress.fields = { ...ingress.fields, resource: ingress.client.params.resource };
  }
  const credential = ingress?.client.credential;
  // A relative INGRESS_PRIVATE_KEY_FILE is taken from the folder of the .env file that sets it, so a
  // helper that runs from anywhere with --env-file finds it; set in the environment, from the
  // working directory.
  if (credential?.method === 'private_key_jwt') {
    const envFile = rules.envFileOf.INGRESS_PRIVATE_KEY_FILE;
    credential.keyFile = path.resolve(envFile ? path.dirname(envFile) : rules.cwd, credential.keyFile);
  }
  return ingress;
}

export { resolveKeycloakLocation, keycloakTokenEndpoint } from './keycloak.js';
export { scopeFrom } from './common.js';
