import type { ServerEntry } from './servers.js';

/**
 * Claude Code's `mcpServers` with a `headersHelper` per server instead of headers: Claude Code runs
 * the command on every connection and sends the JSON object it prints. This file holds no secret.
 */
export function renderClaude(servers: readonly ServerEntry[], helper: (server: string) => string): unknown {
  const entries: Record<string, unknown> = {};
  for (const server of servers) entries[server.name] = { type: 'http', url: server.url, headersHelper: helper(server.name) };
  return { mcpServers: entries };
}
