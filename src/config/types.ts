/** Everything a client-credentials token request needs, and where each setting came from. */
export interface ClientCredentialsClient {
  tokenEndpoint: string;
  /** The issuer identifier, recorded in the openid-client configuration (no discovery is made). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to request, when any. */
  scope: string | undefined;
  /** How the client authenticates: Keycloak takes the form body, Cognito HTTP Basic. */
  auth: 'client_secret_post' | 'client_secret_basic';
  /** Where the settings came from (variable or file names), for hints in error messages. */
  origin: { clientId: string; clientSecret: string; scope: string; url: string };
}

export interface KeycloakIngress {
  provider: 'keycloak';
  keycloakUrl: string;
  realm: string;
  client: ClientCredentialsClient;
}

export interface CognitoIngress {
  provider: 'cognito';
  userPoolId: string;
  region: string;
  /** The hosted domain's base URL, without a trailing slash. */
  domain: string;
  client: ClientCredentialsClient;
}

export type IngressConfig = KeycloakIngress | CognitoIngress;

export interface AgentCoreSet {
  index: number;
  server: string;
  client: ClientCredentialsClient;
}

export interface EgressSet {
  index: number;
  provider: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: URL;
  /** Scopes from EGRESS_OAUTH_SCOPE_N; undefined means the provider's default scopes. */
  scopes: string[] | undefined;
  server: string;
  /** EGRESS_ATLASSIAN_SITE_N: which Atlassian site to use when the account has several. */
  atlassianSite: string | undefined;
}

/** Keycloak's location as KEYCLOAK_URL and KEYCLOAK_REALM give it; agents default to it. */
export interface KeycloakLocation {
  url: string;
  realm: string;
}
