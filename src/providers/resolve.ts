import { getVar, type Env } from '../config/env-files.js';
import type { Problems } from '../config/problems.js';
import type { EgressSet } from '../config/types.js';
import { checkServiceUrl, type UrlRules } from '../config/urls.js';
import type { ProviderDefinition } from './schema.js';

/** A provider definition with its URL templates filled in for one egress set. */
export interface ResolvedProvider {
  definition: ProviderDefinition;
  /** The declared issuer, placeholders filled. */
  issuer: string | undefined;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  deviceAuthorizationEndpoint: string | undefined;
  revocationEndpoint: string | undefined;
  cloudIdUrl: string | undefined;
  scopes: string[];
}

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;
const SAFE_VALUE = /^[A-Za-z0-9._-]+$/;

/** EGRESS_<PROVIDER>_<PLACEHOLDER>_N, e.g. EGRESS_MICROSOFT_TENANT_1 for `{tenant}`. */
function placeholderVariable(provider: string, placeholder: string, index: number): string {
  return `EGRESS_${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${placeholder.toUpperCase()}_${index}`;
}

function fill(
  template: string,
  field: string,
  definition: ProviderDefinition,
  set: EgressSet,
  env: Env,
  rules: UrlRules,
  problems: Problems,
): string | undefined {
  const before = problems.errors.length;
  const filled = template.replace(PLACEHOLDER, (match: string, placeholder: string, offset: number) => {
    const variable = placeholderVariable(definition.name, placeholder, set.index);
    const value = getVar(env, variable) ?? definition.defaults[placeholder];
    if (value === undefined) {
      problems.add(`${variable} is not set: the ${definition.name} provider needs it for {${placeholder}} in its ${field}`);
      return match;
    }
    // A whole base URL may stand first (`{domain}/oauth2/token`); anywhere else only a plain word,
    // so a value cannot change the host or add a path or query.
    if (offset === 0 && value.includes('://')) return value.replace(/\/+$/, '');
    if (!SAFE_VALUE.test(value)) {
      problems.add(`${variable} ("${value}") may hold only letters, digits, ".", "_" and "-"`);
    }
    return value;
  });
  if (problems.errors.length > before) return undefined;
  // Checked like any identity-provider URL, but kept as written: an issuer is compared as a string.
  const url = checkServiceUrl(filled, `the ${field} of provider ${definition.name} (${definition.file})`, rules, problems);
  return url ? filled : undefined;
}

/**
 * Fills the provider's URL templates for a set and checks them like every other identity-provider
 * URL (https://, or http:// on loopback hosts). The set's own scopes replace the provider's.
 */
export function resolveProvider(
  definition: ProviderDefinition,
  set: EgressSet,
  env: Env,
  rules: UrlRules,
  problems: Problems,
): ResolvedProvider | undefined {
  const get = (template: string | undefined, field: string): string | undefined =>
    template === undefined ? undefined : fill(template, field, definition, set, env, rules, problems);
  const before = problems.errors.length;
  const resolved = {
    definition,
    issuer: get(definition.issuer, 'issuer'),
    authorizationEndpoint: get(definition.auth_url, 'auth_url') as string,
    tokenEndpoint: get(definition.token_url, 'token_url') as string,
    deviceAuthorizationEndpoint: get(definition.device_authorization_url, 'device_authorization_url'),
    revocationEndpoint: get(definition.revocation_url, 'revocation_url'),
    cloudIdUrl: get(definition.cloud_id_url, 'cloud_id_url'),
    scopes: set.scopes ?? definition.scopes,
  };
  return problems.errors.length > before ? undefined : resolved;
}
