import type { ServerEntry } from './servers.js';

/** VS Code's MCP settings block: `{"mcp": {"servers": {NAME: {type, url, headers}}}}`. */
export function renderVscode(servers: readonly ServerEntry[]): unknown {
  const entries: Record<string, unknown> = {};
  for (const server of servers) entries[server.name] = { type: 'http', url: server.url, headers: server.headers };
  return { mcp: { servers: entries } };
}
