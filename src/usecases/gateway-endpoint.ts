import { Problems } from '../config/problems.js';
import { checkServiceUrl } from '../config/urls.js';
import { ConfigError } from '../errors.js';
import type { Deps } from './deps.js';

/** The MCP endpoint of a gateway server: `url` as given (the URL rules apply), else `{REGISTRY_URL}/{server}/mcp`. */
export function gatewayEndpoint(deps: Pick<Deps, 'config'>, server: string, url?: string): URL {
  if (url !== undefined) {
    const problems = new Problems();
    const checked = checkServiceUrl(url, '--url', deps.config.settings, problems);
    problems.throwIfAny('pass the MCP endpoint of the gateway server, e.g. https://gateway.example.com/mcpgw/mcp');
    return checked as URL;
  }
  const registry = deps.config.settings.registryUrl;
  if (registry === undefined) {
    throw new ConfigError('REGISTRY_URL is not set, so mcpgw-creds does not know where the gateway is', {
      hint: "set REGISTRY_URL to the gateway's base URL (e.g. https://gateway.example.com)",
    });
  }
  return new URL(`${registry}/${encodeURIComponent(server)}/mcp`);
}
