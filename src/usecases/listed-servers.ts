import { isSafeName } from '../config/names.js';
import type { Deps } from './deps.js';

/**
 * The servers the gateway lists at `{REGISTRY_URL}/.well-known/mcp-servers` (asked without
 * credentials): `{"servers": [{"name", "url", "transport", ...}]}`. Each is named by the path segment
 * before `/mcp` in its `url`; only Streamable HTTP servers on the gateway's own origin are taken, so a
 * list cannot point the tokens at another host. A failed lookup is a warning and no servers, never a
 * failed run.
 */
export async function listedServers(deps: Pick<Deps, 'config' | 'fetch' | 'log'>): Promise<string[]> {
  const { registryUrl, httpTimeoutMs } = deps.config.settings;
  if (registryUrl === undefined) return [];
  const where = `${registryUrl}/.well-known/mcp-servers`;
  let body: unknown;
  try {
    const response = await deps.fetch(where, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(httpTimeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    deps.log.warn(
      `the gateway's server list (${where}) could not be read (${error instanceof Error ? error.message : String(error)}); MCP_SERVERS=auto adds nothing this time`,
    );
    return [];
  }
  const entries = typeof body === 'object' && body !== null ? (body as { servers?: unknown }).servers : undefined;
  if (!Array.isArray(entries)) {
    deps.log.warn(`the gateway's server list (${where}) has no "servers" list; MCP_SERVERS=auto adds nothing this time`);
    return [];
  }
  const origin = new URL(registryUrl).origin;
  const names: string[] = [];
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { url, transport } = entry as { url?: unknown; transport?: unknown };
    if (typeof url !== 'string' || transport !== 'streamable-http') continue;
    let parsed: URL;
    try {
      parsed = new URL(url, registryUrl);
    } catch {
      continue;
    }
    const name = /\/([^/]+)\/mcp\/?$/.exec(parsed.pathname)?.[1];
    if (parsed.origin !== origin || name === undefined) continue;
    const decoded = decodeURIComponent(name);
    if (isSafeName(decoded) && !names.includes(decoded)) names.push(decoded);
  }
  return names;
}
