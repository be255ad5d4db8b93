import type { ServerEntry } from './servers.js';

/**
 * The `mcpServers` file Roo Code and Claude Code read, with `disabled` and `alwaysAllow`
 * spelled out as Roo Code writes them.
 */
export function renderMcpJson(servers: readonly ServerEntry[]): unknown {
  const entries: Record<string, unknown> = {};
  for (const server of servers) {
    entries[server.name] = { type: 'streamable-http', url: server.url, headers: server.headers, disabled: false, alwaysAllow: [] };
  }
  return { mcpServers: entries };
}
