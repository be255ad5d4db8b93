import type { CommonFlags } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { loadCatalogue } from '../../providers/catalogue.js';
import { egressHeaders, ingressHeaders } from '../../render/servers.js';
import { AGENTCORE_PROVIDER, type TokenRecord } from '../../store/records.js';
import { findServerToken, readIngress } from '../../store/token-files.js';
import type { CliContext } from '../context.js';
import { openSettingsAndStore } from '../settings-store.js';
import { freshToken } from '../fresh-token.js';

export interface HeadersFlags extends CommonFlags {
  json?: boolean;
  server?: string;
}

/**
 * `mcpgw-creds headers --server NAME`: the JSON object of headers for one gateway server (the same
 * set the renderers write), tokens renewed first when they expire within 5 minutes. Claude Code's
 * `headersHelper` runs it on every connection: stdout carries that object and nothing else, and
 * with fresh tokens it reads two files and makes no request.
 */
export async function headersCommand(flags: HeadersFlags, cli: CliContext): Promise<number> {
  const server = flags.server ?? cli.env.CLAUDE_CODE_MCP_SERVER_NAME;
  if (!server) throw new UsageError('which server? pass --server NAME (Claude Code sets CLAUDE_CODE_MCP_SERVER_NAME)');
  const { settings, store } = await openSettingsAndStore(flags, cli);

  // Every gateway server takes the ingress headers; an egress (or AgentCore) server adds its own token.
  const [storedIngress, storedServer] = await Promise.all([readIngress(store), findServerToken(store, server)]);
  let ingress: TokenRecord | undefined;
  if (storedIngress || !storedServer) {
    const fresh = await freshToken(flags, cli, { kind: 'ingress' }, storedIngress);
    if ('error' in fresh) {
      cli.io.error(fresh.error.message, fresh.error.hint);
      return fresh.error.exit_code;
    }
    ingress = fresh.record;
  }
  let egress: TokenRecord | undefined;
  if (storedServer) {
    const fresh = await freshToken(flags, cli, { kind: 'server', server }, storedServer);
    if ('error' in fresh) {
      cli.io.error(fresh.error.message, fresh.error.hint);
      return fresh.error.exit_code;
    }
    egress = fresh.record;
  }

  let headers = ingressHeaders(ingress);
  if (egress) {
    const providerHeaders =
      egress.provider === AGENTCORE_PROVIDER ? () => undefined : await loadCatalogue(settings.providersDir).then((catalogue) => (name: string) => catalogue.get(name)?.mcp_headers);
    headers = { ...headers, ...egressHeaders(egress, { providerHeaders, warn: (message) => cli.io.warn(message) }) };
  }
  cli.io.outSecret(`${JSON.stringify(headers)}\n`);
  return 0;
}
