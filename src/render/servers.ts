import type { TokenRecord } from '../store/records.js';

/** One MCP server as every client configuration describes it. */
export interface ServerEntry {
  name: string;
  url: string;
  headers: Record<string, string>;
}

export interface RenderInput {
  /** REGISTRY_URL without a trailing slash. */
  registryUrl: string;
  ingress: TokenRecord | undefined;
  /** Egress and AgentCore records; each has `server` and `provider`. */
  egress: TokenRecord[];
  /** MCP_SERVERS: servers that need only the ingress headers. */
  mcpServers: readonly string[];
  /** A provider's `mcp_headers`, with `{cloud_id}`-style placeholders. */
  providerHeaders: (provider: string) => Readonly<Record<string, string>> | undefined;
  warn: (message: string) => void;
}

export const GATEWAY_SERVER = 'mcpgw';

/** A text field of a record, or '' when it has none. */
const text = (record: TokenRecord, name: string): string => (typeof record[name] === 'string' ? record[name] : '');

/** The ingress headers the gateway reads, in a fixed order. */
export function ingressHeaders(record: TokenRecord | undefined): Record<string, string> {
  if (!record) return {};
  const bearer = `Bearer ${record.access_token}`;
  if (record.provider === 'cognito_m2m') {
    return {
      'X-Authorization': bearer,
      'X-User-Pool-Id': text(record, 'user_pool_id'),
      'X-Client-Id': record.client_id,
      'X-Region': text(record, 'region'),
    };
  }
  if (record.provider === 'keycloak_m2m') {
    return {
      'X-Authorization': bearer,
      'X-Client-Id': record.client_id,
      'X-Keycloak-Realm': text(record, 'realm'),
      'X-Keycloak-URL': text(record, 'keycloak_url'),
    };
  }
  // Entra, Okta, Auth0, PingFederate, any OpenID provider: the gateway needs no more.
  return { 'X-Authorization': bearer, 'X-Client-Id': record.client_id };
}

/** `Authorization` plus the provider's `mcp_headers`, placeholders filled from the record. */
export function egressHeaders(record: TokenRecord, input: Pick<RenderInput, 'providerHeaders' | 'warn'>): Record<string, string> {
  const headers: Record<string, string> = { Authorization: `Bearer ${record.access_token}` };
  const extra = input.providerHeaders(record.provider) ?? {};
  for (const name of Object.keys(extra).sort()) {
    let missing: string | undefined;
    const value = (extra[name] as string).replace(/\{([a-z_]+)\}/g, (_, field: string) => {
      const filled = record[field];
      if (typeof filled === 'string' && filled !== '') return filled;
      missing = field;
      return '';
    });
    if (missing !== undefined) {
      input.warn(`${String(record.server)}: header ${name} left out, the token file has no "${missing}"`);
      continue;
    }
    headers[name] = value;
  }
  return headers;
}

/**
 * The servers every client configuration lists, in a stable order: the gateway's own `mcpgw`, the
 * egress servers by name, then the MCP_SERVERS entries as written. The same tokens always give the
 * same list, so re-rendering gives byte-identical files.
 */
export function buildServers(input: RenderInput): ServerEntry[] {
  const base = ingressHeaders(input.ingress);
  const url = (name: string): string => `${input.registryUrl}/${encodeURIComponent(name)}/mcp`;
  const servers: ServerEntry[] = [{ name: GATEWAY_SERVER, url: url(GATEWAY_SERVER), headers: { ...base } }];
  const taken = new Set([GATEWAY_SERVER]);
  const egress = [...input.egress].sort((a, b) => String(a.server).localeCompare(String(b.server)) || a.provider.localeCompare(b.provider));
  for (const record of egress) {
    const name = String(record.server);
    if (taken.has(name)) {
      input.warn(
        `two token files are for the server "${name}"; only the first (${egress.find((r) => r.server === name)?.provider}) is rendered`,
      );
      continue;
    }
    taken.add(name);
    servers.push({ name, url: url(name), headers: { ...base, ...egressHeaders(record, input) } });
  }
  for (const name of input.mcpServers) {
    if (taken.has(name)) continue;
    taken.add(name);
    servers.push({ name, url: url(name), headers: { ...base } });
  }
  return servers;
}
