import { UsageError } from '../../errors.js';
import { completionServers } from '../../usecases/completion-servers.js';
import type { Command, CommonFlags } from '../command.js';
import type { CommandShape } from '../completion/describe.js';
import { bashScript, fishScript, zshScript, type CompletionInput } from '../completion/scripts.js';

export interface CompletionFlags extends CommonFlags {
  servers?: boolean;
  args: string[];
}

const SCRIPTS: Record<string, (input: CompletionInput) => string> = { bash: bashScript, zsh: zshScript, fish: fishScript };

/**
 * `completion bash|zsh|fish`: the completion script on stdout. `completion --servers` (hidden) is
 * what the script runs on Tab after `--server`: the server names, one a line.
 */
export function completionCommand(describe: () => CommandShape): Command<CompletionFlags, { shell: string } | { servers: true }> {
  return {
    parse(flags) {
      if (flags.servers) return { servers: true };
      const shell = flags.args[0];
      if (shell === undefined || !Object.hasOwn(SCRIPTS, shell)) {
        throw new UsageError(
          shell === undefined ? 'which shell? bash, zsh or fish' : `no completion for "${shell}": bash, zsh or fish`,
          'e.g. mcpgw-creds completion bash > ~/.local/share/bash-completion/completions/mcpgw-creds',
        );
      }
      return { shell };
    },
    async run(cli, input) {
      if ('servers' in input) {
        for (const name of await completionServers(cli.deps)) cli.io.out(`${name}\n`);
        return 0;
      }
      const providers = (await cli.deps.providers()).names();
      cli.io.out(SCRIPTS[input.shell]?.({ program: describe(), providers }) ?? '');
      return 0;
    },
  };
}
