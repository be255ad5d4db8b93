import { UsageError } from '../../errors.js';
import { bridge } from '../../usecases/bridge.js';
import type { Command, CommonFlags } from '../command.js';

export interface BridgeFlags extends CommonFlags {
  server?: string;
  url?: string;
}

/** `bridge --server NAME [--url URL]`: a stdio MCP server forwarding to the gateway with fresh headers. */
export const bridgeCommand: Command<BridgeFlags, { server: string; url: string | undefined }> = {
  parse(flags) {
    if (!flags.server) throw new UsageError('which server? pass --server NAME', 'e.g. mcpgw-creds bridge --server mcpgw');
    return { server: flags.server, url: flags.url };
  },
  async run(cli, input) {
    await bridge(cli.deps, { ...input, stdin: cli.io.stdin, stdout: cli.io.stdout });
    return 0;
  },
};
