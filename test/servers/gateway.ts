import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { listenOnLoopback } from './fault-server.js';

/**
 * A gateway-like server: real MCP SDK servers (Streamable HTTP, sessions, SSE) at
 * `/{server}/mcp`, each behind the check an MCP Gateway makes: `X-Authorization: Bearer <JWT>`
 * verified against the identity provider's keys (issuer, expiry). Servers named in `egress` also
 * need an `Authorization: Bearer` (the egress token). `/.well-known/mcp-servers` lists them.
 * With `scopes` (the text of a scopes.yml), each JSON-RPC request is checked the way the gateway's
 * auth server does it (`validate_server_tool_access`, written again here from its description, not
 * shared with the code under test). Refusals read as the gateway's nginx sends them: 401
 * `{"error": "Authentication required"}`, 403 `{"error": "Access forbidden"}`, nothing more.
 */
export interface GatewayOptions {
  /** The identity provider's issuer and its JWKS URL. */
  issuer: string;
  jwksUrl: string;
  servers: string[];
  /** Servers that also need an egress token. */
  egress?: string[];
  /** Extra entries for the well-known list (other origins, other transports). */
  extraListed?: Array<Record<string, unknown>>;
  /** A scopes.yml: group_mappings → scopes → [{server, methods, tools}]. Without it, any valid token may do anything. */
  scopes?: string;
}

interface ScopeGrant {
  server: string;
  methods?: string[] | string;
  tools?: string[] | string;
}

/** The gateway auth server's decision for one request (its Python, restated). */
function scopeAllows(
  scopes: Record<string, unknown>,
  groups: readonly string[],
  server: string,
  method: string,
  tool: string | undefined,
): boolean {
  const mappings = (scopes.group_mappings ?? {}) as Record<string, string[]>;
  const names = groups.flatMap((group) => (Object.prototype.hasOwnProperty.call(mappings, group) ? (mappings[group] ?? []) : []));
  const asList = (value: string[] | string | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  for (const name of names) {
    for (const grant of (scopes[name] ?? []) as ScopeGrant[]) {
      const granted = grant.server.replace(/^\/+|\/+$/g, '');
      if (grant.server !== '*' && granted !== server) continue;
      const methods = asList(grant.methods);
      const tools = asList(grant.tools);
      const anyTool = tools.includes('*') || tools.includes('all');
      if (method === 'tools/call') {
        if (tool !== undefined && (anyTool || tools.includes(tool))) return true;
        continue;
      }
      if (methods.includes('*') || methods.includes('all') || methods.includes(method) || tools.includes(method)) return true;
    }
  }
  return false;
}

interface SeenRequest {
  server: string;
  method: string;
  status: number;
  headers: Record<string, string | undefined>;
}

export interface Gateway {
  url: string;
  /** Every request to an MCP endpoint, with the status it got. */
  seen: SeenRequest[];
  /** Answers the next `count` MCP requests with 401, whatever their token. */
  rejectNext(count?: number): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      try {
        resolve(body === '' ? undefined : JSON.parse(body));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function mcpServer(name: string, claims: () => JWTPayload | undefined): McpServer {
  const server = new McpServer({ name: `gateway-${name}`, version: '1.0.0' });
  server.registerTool('echo', { description: 'Says back what it is given', inputSchema: { text: z.string() } }, ({ text }) => ({
    content: [{ type: 'text', text: `${name}: ${text}` }],
  }));
  server.registerTool('whoami', { description: 'The groups of the caller' }, () => ({
    content: [{ type: 'text', text: JSON.stringify({ server: name, groups: claims()?.groups ?? [] }) }],
  }));
  return server;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; claims: JWTPayload | undefined }>();
  const seen: SeenRequest[] = [];
  let rejections = 0;

  const scopes = options.scopes === undefined ? undefined : (parseYaml(options.scopes) as Record<string, unknown>);
  // What nginx answers for the auth server's 401 and 403: the reason stays with the gateway.
  const deny = (res: ServerResponse): void => {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="mcp"' });
    res.end(JSON.stringify({ error: 'Authentication required' }));
  };
  const forbid = (res: ServerResponse): void => {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Access forbidden' }));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://gateway.invalid');
      if (url.pathname === '/.well-known/mcp-servers') {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const listed = options.servers.map((name) => ({
          name,
          url: `${base}/${name}/mcp`,
          transport: 'streamable-http',
          authentication: 'oauth2',
        }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ servers: [...listed, ...(options.extraListed ?? [])] }));
        return;
      }
      const name = /^\/([^/]+)\/mcp$/.exec(url.pathname)?.[1];
      if (!name || !options.servers.includes(name)) {
        res.writeHead(404).end();
        return;
      }
      const record = (status: number): void => {
        seen.push({
          server: name,
          method: req.method ?? 'GET',
          status,
          headers: {
            'x-authorization': req.headers['x-authorization'] as string | undefined,
            authorization: req.headers.authorization,
            'mcp-session-id': req.headers['mcp-session-id'] as string | undefined,
          },
        });
      };
      if (rejections > 0) {
        rejections--;
        record(401);
        deny(res);
        return;
      }
      const bearer = /^Bearer (.+)$/.exec((req.headers['x-authorization'] as string | undefined) ?? '')?.[1];
      let claims: JWTPayload | undefined;
      try {
        claims = bearer ? (await jwtVerify(bearer, jwks, { issuer: options.issuer })).payload : undefined;
      } catch {
        claims = undefined;
      }
      if (!claims) {
        record(401);
        deny(res);
        return;
      }
      if (options.egress?.includes(name) && !/^Bearer .+/.test(req.headers.authorization ?? '')) {
        record(401);
        deny(res);
        return;
      }
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      if (scopes) {
        const groups = (claims.groups ?? claims['cognito:groups'] ?? []) as string[];
        const messages = (Array.isArray(body) ? body : [body]) as Array<{ method?: string; params?: { name?: string } } | undefined>;
        const refused = messages.some((message) => {
          // A response or a body-less request (GET, DELETE) is checked as "initialize", as the auth server does.
          const method = typeof message?.method === 'string' ? message.method : 'initialize';
          return !scopeAllows(scopes, Array.isArray(groups) ? groups : [], name, method, message?.params?.name);
        });
        if (refused) {
          record(403);
          forbid(res);
          return;
        }
      }
      record(200);
      const sessionId = req.headers['mcp-session-id'] as string | undefined;
      const existing = sessionId ? sessions.get(sessionId) : undefined;
      if (existing) {
        existing.claims = claims;
        await existing.transport.handleRequest(req, res, body);
        return;
      }
      const session = { transport: undefined as unknown as StreamableHTTPServerTransport, claims };
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, session),
      });
      session.transport = transport;
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await mcpServer(name, () => session.claims).connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${listening.port}`,
    seen,
    rejectNext: (count = 1) => {
      rejections += count;
    },
    close: async () => {
      for (const session of sessions.values()) await session.transport.close().catch(() => undefined);
      await listening.close();
    },
  };
}
