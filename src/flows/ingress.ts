import type { IngressConfig } from '../config/types.js';
import { INGRESS_FILE } from '../store/records.js';
import {
  obtainClientCredentialsToken,
  type ClientCredentialsDeps,
  type ClientCredentialsTarget,
  type ObtainedToken,
  type TokenOptions,
} from './client-credentials-flow.js';

/** The ingress token file's target: SPEC §5 fields for Keycloak (`keycloak_m2m`) or Cognito (`cognito_m2m`). */
export function ingressTarget(config: IngressConfig): ClientCredentialsTarget {
  if (config.provider === 'keycloak') {
    return {
      file: INGRESS_FILE,
      client: config.client,
      head: { provider: 'keycloak_m2m' },
      tail: { keycloak_url: config.keycloakUrl, realm: config.realm },
    };
  }
  return {
    file: INGRESS_FILE,
    client: config.client,
    head: { provider: 'cognito_m2m' },
    tail: { user_pool_id: config.userPoolId, region: config.region },
  };
}

/** Obtains the gateway's ingress token (SPEC §4) into `ingress.json`. */
export function obtainIngressToken(
  deps: ClientCredentialsDeps,
  config: IngressConfig,
  options: TokenOptions,
): Promise<ObtainedToken> {
  return obtainClientCredentialsToken(deps, ingressTarget(config), options);
}
