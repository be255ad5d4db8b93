import type { Question } from '../../ports.js';
import type { AuthProvider } from '../../config/types.js';

/** What `init` asks for one identity provider: where it is, then its client. */
export interface ProviderQuestions {
  label: string;
  /** Where the provider is (URL, domain, tenant, realm ...), checked against its discovery document. */
  location: Question[];
  clientId: Question;
  secretVariable: string;
  /** Asked after the client (scope, audience); may be empty. */
  extra: Question[];
}

/** The variables of each AUTH_PROVIDER, as docs/configuration.md describes them. */
export const PROVIDER_QUESTIONS: Record<AuthProvider, ProviderQuestions> = {
  keycloak: {
    label: 'Keycloak',
    location: [
      { variable: 'KEYCLOAK_URL', message: "Keycloak's URL (e.g. https://keycloak.example.com)" },
      { variable: 'KEYCLOAK_REALM', message: 'Realm', default: 'mcp-gateway' },
    ],
    clientId: { variable: 'KEYCLOAK_M2M_CLIENT_ID', message: 'Client id (a client with client credentials)', default: 'mcp-gateway-m2m' },
    secretVariable: 'KEYCLOAK_M2M_CLIENT_SECRET',
    extra: [],
  },
  cognito: {
    label: 'Amazon Cognito',
    location: [
      { variable: 'INGRESS_OAUTH_USER_POOL_ID', message: 'User pool id (e.g. us-east-1_AbCdEf123)' },
      {
        variable: 'COGNITO_DOMAIN',
        message: 'Domain prefix or custom domain URL (empty: derived from the pool id)',
        optional: true,
      },
    ],
    clientId: { variable: 'INGRESS_OAUTH_CLIENT_ID', message: 'App client id' },
    secretVariable: 'INGRESS_OAUTH_CLIENT_SECRET',
    extra: [
      {
        variable: 'INGRESS_OAUTH_SCOPE',
        message: 'Scopes (space-separated custom scopes; empty: all the client may have)',
        optional: true,
      },
    ],
  },
  entra: {
    label: 'Microsoft Entra ID',
    location: [{ variable: 'ENTRA_TENANT_ID', message: 'Tenant (directory) id or domain (e.g. contoso.onmicrosoft.com)' }],
    clientId: { variable: 'ENTRA_CLIENT_ID', message: 'Application (client) id' },
    secretVariable: 'ENTRA_CLIENT_SECRET',
    extra: [{ variable: 'ENTRA_SCOPE', message: 'Scope (empty: api://CLIENT_ID/.default)', optional: true }],
  },
  okta: {
    label: 'Okta',
    location: [
      { variable: 'OKTA_DOMAIN', message: 'Okta domain (e.g. dev-123456.okta.com)' },
      { variable: 'OKTA_AUTH_SERVER_ID', message: 'Authorization server id', default: 'default' },
    ],
    clientId: { variable: 'OKTA_M2M_CLIENT_ID', message: 'Client id' },
    secretVariable: 'OKTA_M2M_CLIENT_SECRET',
    extra: [{ variable: 'OKTA_SCOPE', message: 'Scope (a custom scope of the authorization server)', optional: true }],
  },
  auth0: {
    label: 'Auth0',
    // The audience belongs with the location: Auth0 issues no client-credentials token without one.
    location: [
      { variable: 'AUTH0_DOMAIN', message: 'Auth0 domain (e.g. my-tenant.us.auth0.com)' },
      { variable: 'AUTH0_AUDIENCE', message: "The gateway API's identifier (audience, e.g. https://mcp-gateway)" },
    ],
    clientId: { variable: 'AUTH0_M2M_CLIENT_ID', message: 'Client id (a machine-to-machine application)' },
    secretVariable: 'AUTH0_M2M_CLIENT_SECRET',
    extra: [],
  },
  pingfederate: {
    label: 'PingFederate',
    location: [{ variable: 'PINGFEDERATE_BASE_URL', message: "PingFederate's base URL (e.g. https://sso.example.com)" }],
    clientId: { variable: 'PINGFEDERATE_M2M_CLIENT_ID', message: 'Client id' },
    secretVariable: 'PINGFEDERATE_M2M_CLIENT_SECRET',
    extra: [{ variable: 'PINGFEDERATE_SCOPE', message: 'Scope', optional: true }],
  },
  oidc: {
    label: 'Any OpenID provider',
    location: [{ variable: 'OIDC_ISSUER', message: "The provider's issuer (e.g. https://idp.example.com/realms/main)" }],
    clientId: { variable: 'OIDC_M2M_CLIENT_ID', message: 'Client id' },
    secretVariable: 'OIDC_M2M_CLIENT_SECRET',
    extra: [
      { variable: 'OIDC_AUDIENCE', message: 'Audience (empty: none sent)', optional: true },
      { variable: 'OIDC_SCOPE', message: 'Scope', optional: true },
    ],
  },
};

export const GATEWAY_QUESTION: Question = { variable: 'REGISTRY_URL', message: "The gateway's URL (e.g. https://gateway.example.com)" };
