import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type Configuration } from 'oidc-provider';
import { shapeOf, type ShapedAnswer, type ShapeName, type TokenRequest } from './idp-shapes.js';

/**
 * A real OpenID provider (panva's oidc-provider, OpenID Certified) on 127.0.0.1, shaped like one
 * identity provider (see idp-shapes.ts): Keycloak (`/realms/{realm}/protocol/openid-connect/...`),
 * Amazon Cognito (`/oauth2/token` at the root, issuer `/{poolId}`), Entra ID, Okta, Auth0,
 * PingFederate, or a generic provider found by discovery. Used by the tests and by `npm run demo`.
 */
interface LocalClient {
  clientId: string;
  /** Omitted for public clients. */
  clientSecret?: string;
  /** Keycloak accepts the secret in the body; Cognito wants HTTP Basic. Default from the shape. */
  auth?: 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt' | 'none';
  /** Public keys (JWK) the client signs its assertions with (private_key_jwt). */
  jwks?: object[];
  /** Put in the access token's groups claim (the shape names it: `cognito:groups`, a namespaced one for Auth0...). */
  groups?: string[];
  /** Entra's application permissions (`roles`). */
  roles?: string[];
  /** false: no groups claim at all, as from a Keycloak client without the group mapper. */
  groupsClaim?: false;
  /** Space-separated scopes the client may ask for. */
  scope?: string;
  grantTypes?: string[];
  redirectUris?: string[];
}

interface LocalUser {
  username: string;
  password: string;
  email?: string;
}

interface AtlassianLikeSite {
  id: string;
  name: string;
  url: string;
}

export interface LocalIdpOptions {
  /** Accounts for the login page (default: demo-user / demo-password). */
  users?: LocalUser[];
  /** The error_description sent when the user presses Cancel on the login page. */
  denyDescription?: string;
  /** Served at /oauth/token/accessible-resources for a valid bearer token, as Atlassian does. */
  sites?: AtlassianLikeSite[];
  shape: ShapeName;
  realm?: string;
  poolId?: string;
  /** Entra's tenant (default a GUID). */
  tenant?: string;
  /** Okta's custom authorization server (default `default`); null: the org authorization server. */
  oktaAuthServerId?: string | null;
  /** Entra application ID URIs and Auth0 API identifiers the provider knows (default `api://mcp-gateway`). */
  apis?: string[];
  /** Auth0's namespaced groups claim (default `https://mcp-gateway/groups`). */
  auth0GroupsClaim?: string;
  clients: LocalClient[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Custom scopes of the gateway resource (e.g. `mcp-gateway/tools`). */
  scopes?: string[];
  /** Fixed port (the demo uses one); default: any free port. */
  port?: number;
  /** Device codes live this long, in seconds (default 600). */
  deviceCodeTtl?: number;
}

interface RequestLog {
  method: string;
  /** The path as the client sent it. */
  path: string;
  authorization: string | undefined;
  /** The form of a token request, as received (the shapes that rewrite requests read it). */
  form?: URLSearchParams;
}

export interface LocalIdp {
  /** KEYCLOAK_URL, COGNITO_DOMAIN, OKTA_DOMAIN...: the origin, http://127.0.0.1:PORT. */
  baseUrl: string;
  issuer: string;
  tokenEndpoint: string;
  port: number;
  provider: Provider;
  /** Every request received, in order. */
  requests: RequestLog[];
  tokenRequests(): RequestLog[];
  /** The most token requests this provider was answering at one moment. */
  mostTokenRequestsAtOnce(): number;
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
  const ttl = options.accessTokenTtl ?? 3600;
  const customScopes =
    options.scopes ?? (options.shape === 'cognito' ? ['mcp-gateway/tools', 'mcp-gateway/admin'] : ['mcp-gateway', 'mcp-gateway/tools']);

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const apis = options.apis ?? ['api://mcp-gateway'];
  const shape = shapeOf(options.shape, baseUrl, {
    realm: options.realm ?? 'mcp-gateway',
    poolId: options.poolId ?? 'us-east-1_TestPool1',
    tenant: options.tenant ?? '8f0e3c52-4b1a-4d7e-9c21-6a5b3e2f1d0c',
    oktaAuthServerId: options.oktaAuthServerId === undefined ? 'default' : options.oktaAuthServerId,
    apis,
    auth0GroupsClaim: options.auth0GroupsClaim ?? 'https://mcp-gateway/groups',
  });
  const { issuer, mount: prefix } = shape;

  const users = options.users ?? [{ username: 'demo-user', password: 'demo-password' }];
  const clientsById = new Map(options.clients.map((client) => [client.clientId, client]));
  const allowedScope = (client: LocalClient): string => client.scope ?? ['openid', 'offline_access', ...customScopes].join(' ');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      ...(client.jwks ? { jwks: { keys: client.jwks as never } } : {}),
      token_endpoint_auth_method: client.auth ?? (client.jwks ? 'private_key_jwt' : client.clientSecret ? shape.defaultAuth : 'none'),
      ...(client.redirectUris ? { application_type: 'native' as const } : {}),
      grant_types: client.grantTypes ?? ['client_credentials'],
      response_types: client.redirectUris ? ['code'] : [],
      redirect_uris: client.redirectUris ?? [],
      scope: allowedScope(client),
    })),
    adapter: (
      (stores) => (name: string) =>
        new MemoryAdapter(stores, name)
    )(new Map<string, Map<string, Stored>>()),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'local-idp', use: 'sig', alg: 'RS256' }] as never },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    scopes: ['openid', 'offline_access', ...customScopes],
    features: {
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:mcp-gateway',
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== 'urn:mcp-gateway' && !apis.includes(resource)) throw new errors.InvalidTarget(`unknown resource ${resource}`);
          return {
            scope: customScopes.join(' '),
            audience: resource === 'urn:mcp-gateway' ? shape.defaultAudience : resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ttl,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${prefix}/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = users.find((candidate) => candidate.username === sub);
      return user ? { accountId: sub, claims: () => ({ sub, email: user.email ?? `${sub}@example.test`, name: sub }) } : undefined;
    },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    extraTokenClaims: (_ctx, token) => {
      const { clientId = '', scope = '' } = token as { clientId?: string; scope?: string };
      const client = clientsById.get(clientId);
      const groups = client?.groupsClaim === false ? undefined : (client?.groups ?? []);
      return shape.claims({ clientId, groups, roles: client?.roles ?? [] }, scope);
    },
    ttl: {
      ClientCredentials: ttl,
      AccessToken: ttl,
      RefreshToken: 86_400,
      Interaction: 600,
      Session: 3600,
      Grant: 86_400,
      DeviceCode: options.deviceCodeTtl ?? 600,
    },
    pkce: { required: () => true },
    ...(Object.keys(shape.routes).length > 0 ? { routes: shape.routes } : {}),
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = false;
  const handler = provider.callback();
  const requests: RequestLog[] = [];
  const registered = (clientId: string): { scope: string; thumbprints: string[] } | undefined => {
    const client = clientsById.get(clientId);
    if (!client) return undefined;
    const thumbprints = (client.jwks ?? []).flatMap((jwk) => [
      (jwk as Record<string, unknown>).x5t,
      (jwk as Record<string, unknown>)['x5t#S256'],
    ]);
    return { scope: allowedScope(client), thumbprints: thumbprints.filter((value): value is string => typeof value === 'string') };
  };

  let tokenRequestsNow = 0;
  let mostAtOnce = 0;
  server.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    const log: RequestLog = { method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization };
    requests.push(log);
    req.originalUrl = req.url;
    const isToken = (req.url ?? '').split('?')[0] === shape.tokenPath && req.method === 'POST';
    if (isToken) {
      tokenRequestsNow++;
      mostAtOnce = Math.max(mostAtOnce, tokenRequestsNow);
      res.on('close', () => tokenRequestsNow--);
    }
    if (prefix && req.url?.startsWith(prefix)) req.url = req.url.slice(prefix.length) || '/';
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path.startsWith('/interaction/')) {
      void interaction(provider, req, res, { users, prefix, denyDescription: options.denyDescription }).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
      return;
    }
    if (path === '/oauth/token/accessible-resources' && options.sites) {
      void accessibleResources(provider, publicKey, req, res, options.sites);
      return;
    }
    if (!isToken) {
      void handler(req, res);
      return;
    }
    void readForm(req).then((form) => {
      log.form = new URLSearchParams(form);
      const request: TokenRequest = { form, clientId: requestingClient(form, req.headers.authorization) };
      const own = shape.request?.(request, registered);
      if (own) {
        send(res, own);
        return;
      }
      if (shape.error) rewriteErrors(res, (answer) => shape.error?.(answer, request) ?? answer);
      void handler(replay(req, form.toString()), res);
    });
  });

  return {
    baseUrl,
    issuer,
    tokenEndpoint: `${baseUrl}${shape.tokenPath}`,
    port,
    provider,
    requests,
    tokenRequests: () => requests.filter((request) => request.path.split('?')[0] === shape.tokenPath),
    mostTokenRequestsAtOnce: () => mostAtOnce,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request like `req` whose body is `body`: the original's has been read (and maybe rewritten). */
function replay(req: IncomingMessage & { originalUrl?: string }, body: string): IncomingMessage {
  const copy = new IncomingMessage(req.socket) as IncomingMessage & { originalUrl?: string };
  copy.method = req.method;
  copy.url = req.url;
  copy.originalUrl = req.originalUrl;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = { ...req.headers, 'content-length': String(Buffer.byteLength(body)) };
  copy.push(body);
  copy.push(null);
  // Else, once read, it counts as aborted and destroys the socket the answer goes out on.
  copy.complete = true;
  return copy;
}

/** The client a token request is from: its form, its HTTP Basic credentials, or its assertion's issuer. */
function requestingClient(form: URLSearchParams, authorization: string | undefined): string | undefined {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (basic) return decodeURIComponent(Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '');
  const assertion = form.get('client_assertion')?.split('.')[1];
  if (assertion) return (JSON.parse(Buffer.from(assertion, 'base64url').toString('utf8')) as { iss?: string }).iss;
  return form.get('client_id') ?? undefined;
}

function send(res: ServerResponse, answer: ShapedAnswer): void {
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** Lets `rewrite` reword an error answer oidc-provider is about to send (its body is one `end` call). */
function rewriteErrors(res: ServerResponse, rewrite: (answer: ShapedAnswer) => ShapedAnswer): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  (res as { end: (chunk?: unknown) => ServerResponse }).end = (chunk?: unknown) => {
    if (res.statusCode < 400 || chunk === undefined) return end(chunk);
    const answer = rewrite({
      status: res.statusCode,
      body: JSON.parse(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')) as Record<string, unknown>,
    });
    const body = JSON.stringify(answer.body);
    res.statusCode = answer.status;
    res.removeHeader('www-authenticate');
    res.setHeader('content-length', Buffer.byteLength(body));
    return end(body);
  };
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The login and consent steps of an authorization: a login form with Keycloak's element ids
 * (#username, #password, #kc-login; #kc-cancel declines), and consent granted at once.
 */
async function interaction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  options: { users: LocalUser[]; prefix: string; denyDescription: string | undefined },
): Promise<void> {
  const [, , uid, action] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const user = options.users.find(
      (candidate) => candidate.username === form.get('username') && candidate.password === form.get('password'),
    );
    if (!user) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(options.prefix, uid ?? '', 'Invalid username or password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: options.denyDescription ?? 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === 'login') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(options.prefix, details.uid, undefined));
    return;
  }
  // Consent: grant what was asked.
  const accountId = details.session?.accountId as string;
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) as InstanceType<Provider['Grant']>)
    : new provider.Grant({ accountId, clientId: details.params.client_id as string });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function loginPage(prefix: string, uid: string, message: string | undefined): string {
  return `<!doctype html><html><head><title>Sign in</title></head><body>
<h1>Sign in to the local identity provider</h1>
${message ? `<p id="input-error">${escape(message)}</p>` : ''}
<form id="kc-form-login" method="post" action="${escape(`${prefix}/interaction/${uid}/login`)}">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<input id="kc-login" type="submit" value="Sign In">
</form>
<form id="kc-form-cancel" method="post" action="${escape(`${prefix}/interaction/${uid}/abort`)}"><input id="kc-cancel" type="submit" value="Cancel"></form>
</body></html>`;
}

/** Atlassian's accessible-resources endpoint: the sites a valid access token reaches. */
async function accessibleResources(
  provider: Provider,
  publicKey: KeyObject,
  req: IncomingMessage,
  res: ServerResponse,
  sites: AtlassianLikeSite[],
): Promise<void> {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const [header, body, signature] = token.split('.');
  let valid = false;
  if (header && body && signature) {
    const signed = verify('sha256', Buffer.from(`${header}.${body}`), publicKey, Buffer.from(signature, 'base64url'));
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { iss?: string; exp?: number };
    valid = signed && payload.iss === provider.issuer && (payload.exp ?? 0) > Date.now() / 1000;
  } else if (token) {
    valid = Boolean(await provider.AccessToken.find(token));
  }
  res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify(
      valid ? sites.map((site) => ({ ...site, scopes: ['read:jira-work'], avatarUrl: '' })) : { code: 401, message: 'Unauthorized' },
    ),
  );
}
