import { isSafeName } from '../config/names.js';
import { GATEWAY_SERVER } from '../render/servers.js';
import { listTokens } from '../store/token-files.js';
import type { Deps } from './deps.js';

/**
 * The server names `--server` can take here, for shell completion: the gateway's own, those of
 * MCP_SERVERS, the configured egress and AgentCore sets, and every server with a stored token.
 * No request is made (the gateway's published list is left out: a Tab press must not wait on it).
 */
export async function completionServers(deps: Pick<Deps, 'config' | 'store'>): Promise<string[]> {
  const names = new Set<string>([GATEWAY_SERVER, ...deps.config.settings.mcpServers]);
  for (const set of [...deps.config.egress.value, ...deps.config.agentcore.value]) names.add(set.server);
  for (const token of await listTokens(deps.store)) {
    if (token.kind === 'egress' || token.kind === 'agentcore') names.add(token.name);
  }
  // A token file's server field is data from disk: a shell may read these names as code.
  return [...names].filter(isSafeName).sort();
}
