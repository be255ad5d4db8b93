import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/**
 * A real OpenID provider (panva's oidc-provider, OpenID Certified) on 127.0.0.1, shaped like
 * Keycloak (`/realms/{realm}/protocol/openid-connect/...`) or like Amazon Cognito (`/oauth2/token`
 * at the root, issuer `/{poolId}`). Used by the tests and by `npm run demo`.
 */
export interface LocalClient {
  clientId: string;
  /** Omitted for public clients. */
  clientSecret?: string;
  /** Keycloak accepts the secret in the body; Cognito wants HTTP Basic. Default from the shape. */
  auth?: 'client_secret_post' | 'client_secret_basic' | 'none';
  /** Put in the access token's `groups` claim (`cognito:groups` for the Cognito shape). */
  groups?: string[];
  /** Space-separated scopes the client may ask for. */
  scope?: string;
  grantTypes?: string[];
  redirectUris?: string[];
}

export interface LocalIdpOptions {
  shape: 'keycloak' | 'cognito';
  realm?: string;
  poolId?: string;
  clients: LocalClient[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Custom scopes of the gateway resource (e.g. `mcp-gateway/tools`). */
  scopes?: string[];
  /** Fixed port (the demo uses one); default: any free port. */
  port?: number;
}

export interface RequestLog {
  method: string;
  /** The path as the client sent it. */
  path: string;
  authorization: string | undefined;
}

export interface LocalIdp {
  /** KEYCLOAK_URL, or COGNITO_DOMAIN for the Cognito shape. */
  baseUrl: string;
  issuer: string;
  tokenEndpoint: string;
  port: number;
  provider: Provider;
  /** Every request received, in order. */
  requests: RequestLog[];
  tokenRequests(): RequestLog[];
  close(): Promise<void>;
}

type Stored = { payload: Record<string, unknown>; expiresAt: number };

/** oidc-provider's storage, in memory and per provider instance (its own default warns on every start). */
class MemoryAdapter {
  readonly #items: Map<string, Stored>;
  constructor(stores: Map<string, Map<string, Stored>>, name: string) {
    if (!stores.has(name)) stores.set(name, new Map());
    this.#items = stores.get(name) as Map<string, Stored>;
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
    this.#items.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
  }
  async find(id: string): Promise<Record<string, unknown> | undefined> {
    const item = this.#items.get(id);
    if (!item || item.expiresAt < Date.now()) return undefined;
    return item.payload;
  }
  async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
    return [...this.#items.values()].find((item) => item.payload.userCode === userCode)?.payload;
  }
  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    return [...this.#items.values()].find((item) => item.payload.uid === uid)?.payload;
  }
  async consume(id: string): Promise<void> {
    const item = this.#items.get(id);
    if (item) item.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string): Promise<void> {
    this.#items.delete(id);
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, item] of this.#items) if (item.payload.grantId === grantId) this.#items.delete(id);
  }
}

export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  const keycloak = options.shape === 'keycloak';
  const realm = options.realm ?? 'mcp-gateway';
  const poolId = options.poolId ?? 'us-east-1_TestPool1';
  const ttl = options.accessTokenTtl ?? 3600;
  const customScopes = options.scopes ?? (keycloak ? ['mcp-gateway'] : ['mcp-gateway/tools', 'mcp-gateway/admin']);

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const prefix = keycloak ? `/realms/${realm}` : `/${poolId}`;
  const issuer = `${baseUrl}${prefix}`;

  const groupsByClient = new Map(options.clients.map((client) => [client.clientId, client.groups ?? []]));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      token_endpoint_auth_method: client.auth ?? (client.clientSecret ? (keycloak ? 'client_secret_post' : 'client_secret_basic') : 'none'),
      grant_types: client.grantTypes ?? ['client_credentials'],
      response_types: client.redirectUris ? ['code'] : [],
      redirect_uris: client.redirectUris ?? [],
      ...(client.redirectUris ? { application_type: 'native' as const } : {}),
      scope: client.scope ?? ['openid', 'offline_access', ...customScopes].join(' '),
    })),
    adapter: ((stores) => (name: string) => new MemoryAdapter(stores, name))(new Map<string, Map<string, Stored>>()) as never,
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'local-idp', use: 'sig', alg: 'RS256' }] as never },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    scopes: ['openid', 'offline_access', ...customScopes],
    features: {
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:mcp-gateway',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: customScopes.join(' '),
          audience: 'mcp-gateway',
          accessTokenFormat: 'jwt',
          accessTokenTTL: ttl,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const clientId = (token as { clientId?: string }).clientId ?? '';
      const groups = groupsByClient.get(clientId) ?? [];
      return keycloak ? { groups, azp: clientId } : { 'cognito:groups': groups, client_id: clientId };
    },
    ttl: { ClientCredentials: ttl, AccessToken: ttl },
    pkce: { required: () => true },
    routes: keycloak
      ? {
          authorization: '/protocol/openid-connect/auth',
          token: '/protocol/openid-connect/token',
          jwks: '/protocol/openid-connect/certs',
          introspection: '/protocol/openid-connect/token/introspect',
          revocation: '/protocol/openid-connect/revoke',
          userinfo: '/protocol/openid-connect/userinfo',
          end_session: '/protocol/openid-connect/logout',
          device_authorization: '/protocol/openid-connect/auth/device',
        }
      : {
          authorization: '/oauth2/authorize',
          token: '/oauth2/token',
          jwks: '/.well-known/jwks.json',
          revocation: '/oauth2/revoke',
          userinfo: '/oauth2/userInfo',
          introspection: '/oauth2/introspect',
        },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = false;
  const handler = provider.callback();
  const requests: RequestLog[] = [];

  server.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization });
    req.originalUrl = req.url;
    if (req.url?.startsWith(prefix)) req.url = req.url.slice(prefix.length) || '/';
    handler(req, res);
  });

  const tokenPath = keycloak ? `${prefix}/protocol/openid-connect/token` : '/oauth2/token';
  return {
    baseUrl,
    issuer,
    tokenEndpoint: `${baseUrl}${tokenPath}`,
    port,
    provider,
    requests,
    tokenRequests: () => requests.filter((request) => request.path.split('?')[0] === tokenPath),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
