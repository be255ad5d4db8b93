import { UsageError } from '../../errors.js';
import { serverHeaders } from '../../usecases/fresh-credentials.js';
import type { Command, CommonFlags } from '../command.js';

export interface HeadersFlags extends CommonFlags {
  server?: string;
}

/**
 * `headers --server NAME`: the JSON object of headers for one gateway server, tokens renewed first
 * when due. Claude Code's `headersHelper` runs it on every connection: stdout carries that object
 * and nothing else, and with fresh tokens it reads two files and makes no request.
 */
export const headersCommand: Command<HeadersFlags, { server: string }> = {
  parse(flags, env) {
    const server = flags.server ?? env.CLAUDE_CODE_MCP_SERVER_NAME;
    if (!server) throw new UsageError('which server? pass --server NAME (Claude Code sets CLAUDE_CODE_MCP_SERVER_NAME)');
    return { server };
  },
  async run(cli, { server }) {
    cli.io.outSecret(`${JSON.stringify(await serverHeaders(cli.deps, server))}\n`);
    return 0;
  },
};
