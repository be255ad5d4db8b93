/** How a client proves who it is at the token endpoint. */
export type ClientCredential =
  | { method: 'client_secret_basic' | 'client_secret_post'; secret: string }
  /** RFC 7523: an assertion signed with the client's private key (a PEM or JWK file). */
  | { method: 'private_key_jwt'; keyFile: string; keyId: string | undefined };

/** Everything a client-credentials token request needs, and where each setting came from. */
export interface ClientCredentialsClient {
  /** The token endpoint; undefined when the issuer's discovery document names it (`oidc`). */
  tokenEndpoint: string | undefined;
  /** The issuer identifier: recorded in the openid-client configuration; checked when discovered. */
  issuer: string;
  clientId: string;
  credential: ClientCredential;
  /** Space-separated scopes to request, when any. */
  scope: string | undefined;
  /** Other parameters of the token request: Auth0's `audience`, RFC 8707's `resource`. */
  params: Readonly<Record<string, string>>;
  /** Audiences a private_key_jwt assertion names besides the token endpoint (Auth0: its domain). */
  assertionAudiences: readonly string[];
  /** The provider finds a private_key_jwt key by its certificate's thumbprint (Entra ID), so the key file must carry it. */
  certificateRequired?: boolean;
  /** Where the settings came from (variable or file names), for hints in error messages. */
  origin: { clientId: string; clientSecret: string; scope: string; url: string };
  /** What to check when the provider answers one of its own error codes (Auth0's access_denied...). */
  hints?: Readonly<Record<string, string>>;
}

/** The `AUTH_PROVIDER` values. */
export const AUTH_PROVIDERS = ['keycloak', 'cognito', 'entra', 'okta', 'auth0', 'pingfederate', 'oidc'] as const;
export type AuthProvider = (typeof AUTH_PROVIDERS)[number];

/** The ingress settings of any provider. */
export interface IngressConfig {
  provider: AuthProvider;
  client: ClientCredentialsClient;
  /** What the ingress record carries after the token's own fields (keycloak_url and realm, ...). */
  fields: Readonly<Record<string, string>>;
}

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
