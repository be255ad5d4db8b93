import { UsageError } from '../../errors.js';
import { probeServer, type ProbeInput } from '../../usecases/probe-server.js';
import type { Command, CommonFlags } from '../command.js';
import { printProbe } from '../report/probe.js';

export interface ProbeFlags extends CommonFlags {
  server?: string;
  call?: string;
  args?: string;
  scopesFile?: string;
}

function parseArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--args is not JSON: ${text}`, `give the tool's arguments as a JSON object, e.g. --args '{"text": "hello"}'`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError('--args must be a JSON object', `e.g. --args '{"text": "hello"}'`);
  return value as Record<string, unknown>;
}

/**
 * `test [--server N] [--call TOOL [--args JSON]] [--scopes-file PATH]`: an MCP session with a gateway
 * server with the current headers; the tool names (or the call's result) on stdout. A refusal is
 * explained (exit 3); an unreachable gateway exits 4.
 */
export const probeCommand: Command<ProbeFlags, ProbeInput & { json: boolean }> = {
  parse(flags) {
    if (flags.args !== undefined && flags.call === undefined)
      throw new UsageError('--args goes with --call', 'name the tool to call with --call TOOL');
    return {
      server: flags.server ?? 'mcpgw',
      call: flags.call === undefined ? undefined : { tool: flags.call, args: parseArgs(flags.args) },
      scopesFile: flags.scopesFile,
      json: flags.json === true,
    };
  },
  async run(cli, input) {
    const outcome = await probeServer(cli.deps, input);
    printProbe(cli.io, outcome, { json: input.json });
    if (outcome.call?.isError) {
      cli.io.error(
        `${outcome.call.tool} answered with an error (shown above)`,
        "check the arguments (--args) against the tool's input schema",
      );
      return 1;
    }
    return 0;
  },
};
