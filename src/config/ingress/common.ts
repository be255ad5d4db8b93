import { getVar, type Env } from '../env-files.js';
import { splitList } from '../names.js';
import type { Problems } from '../problems.js';
import type { ClientCredential, ClientCredentialsClient } from '../types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from '../urls.js';
import { ingressCredential } from './client-auth.js';

/** Space-separated scopes from a variable that may also use commas; undefined when empty. */
export function scopeFrom(value: string | undefined): string | undefined {
  const scopes = splitList(value);
  return scopes.length > 0 ? scopes.join(' ') : undefined;
}

export function required(env: Env, name: string, problems: Problems, what: string): string | undefined {
  const value = getVar(env, name);
  if (value === undefined) problems.add(`${name} is not set: put ${what} there`);
  return value;
}

const HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/i;

/**
 * A domain variable (OKTA_DOMAIN, AUTH0_DOMAIN): a host, which means https://host, or a URL, which
 * keeps its scheme and port (and follows the https rule). Returns the base URL without a slash.
 */
export function domainUrl(env: Env, name: string, rules: UrlRules, problems: Problems, example: string): string | undefined {
  const value = required(env, name, problems, `your domain, e.g. ${example}`);
  if (value === undefined) return undefined;
  if (value.includes('://')) {
    const url = checkServiceUrl(value, name, rules, problems);
    return url ? baseUrlText(url) : undefined;
  }
  if (!HOST.test(value)) {
    problems.add(`${name} ("${value}") is neither a host name nor a URL: write it like ${example}`);
    return undefined;
  }
  return `https://${value.toLowerCase()}`;
}

/** INGRESS_RESOURCE: an RFC 8707 resource indicator, an absolute URI without a fragment. */
function resourceParam(env: Env, problems: Problems): Record<string, string> {
  const resource = getVar(env, 'INGRESS_RESOURCE');
  if (resource === undefined) return {};
  let url: URL | undefined;
  try {
    url = new URL(resource);
  } catch {
    url = undefined;
  }
  if (!url || url.hash) {
    problems.add(`INGRESS_RESOURCE ("${resource}") is not an absolute URI without a fragment (RFC 8707), e.g. https://gateway.example.com`);
    return {};
  }
  return { resource };
}

/** The parts of an ingress client every provider has, read from its own variables. */
export function ingressClient(
  env: Env,
  problems: Problems,
  spec: {
    idVariable: string;
    secretVariable: string;
    scopeVariable: string;
    defaultMethod: 'client_secret_basic' | 'client_secret_post';
    urlOrigin: string;
    scope?: string | undefined;
    params?: Record<string, string>;
    assertionAudiences?: string[];
    /** The provider's error codes, and what to check (`{secret}` names the secret's or key's variable). */
    hints?: Record<string, string>;
    certificateRequired?: boolean;
  },
):
  | {
      clientId: string;
      credential: ClientCredential;
      rest: Omit<ClientCredentialsClient, 'tokenEndpoint' | 'issuer' | 'clientId' | 'credential'>;
    }
  | undefined {
  const clientId = required(env, spec.idVariable, problems, 'the client id of the machine-to-machine application');
  const credential = ingressCredential(env, problems, {
    defaultMethod: spec.defaultMethod,
    secretVariable: spec.secretVariable,
    what: "that client's secret",
  });
  const params = { ...spec.params, ...resourceParam(env, problems) };
  if (clientId === undefined || credential === undefined) return undefined;
  const secretOrigin = credential.method === 'private_key_jwt' ? 'INGRESS_PRIVATE_KEY_FILE (and INGRESS_KEY_ID)' : spec.secretVariable;
  const hints: Record<string, string> = {
    ...(params.resource ? { invalid_target: `check INGRESS_RESOURCE: the provider does not serve the resource ${params.resource}` } : {}),
  };
  for (const [code, hint] of Object.entries(spec.hints ?? {})) hints[code] = hint.replaceAll('{secret}', secretOrigin);
  return {
    clientId,
    credential,
    rest: {
      scope: spec.scope ?? scopeFrom(getVar(env, spec.scopeVariable)),
      params,
      assertionAudiences: spec.assertionAudiences ?? [],
      ...(spec.certificateRequired ? { certificateRequired: true } : {}),
      origin: {
        clientId: spec.idVariable,
        clientSecret: secretOrigin,
        scope: spec.scopeVariable,
        url: spec.urlOrigin,
      },
      ...(Object.keys(hints).length > 0 ? { hints } : {}),
    },
  };
}
