import { UsageError } from '../../errors.js';
import { freshToken, type Target } from '../../usecases/fresh-credentials.js';
import type { Command, CommonFlags } from '../command.js';

export interface TokenFlags extends CommonFlags {
  ingress?: boolean;
  agent?: string;
  server?: string;
}

/**
 * `token [--ingress | --agent ID | --server NAME]`: the access token alone on stdout, renewed first
 * when it is due, so a script can write `curl -H "X-Authorization: Bearer $(mcpgw-creds token)" ...`.
 */
export const tokenCommand: Command<TokenFlags, Target> = {
  parse(flags) {
    const chosen = [flags.ingress ? 'ingress' : undefined, flags.agent, flags.server].filter((x) => x !== undefined);
    if (chosen.length > 1) throw new UsageError('--ingress, --agent and --server exclude each other', 'name one token');
    if (flags.agent !== undefined) return { kind: 'agent', id: flags.agent };
    if (flags.server !== undefined) return { kind: 'server', server: flags.server };
    return { kind: 'ingress' };
  },
  async run(cli, target) {
    const record = await freshToken(cli.deps, target);
    cli.io.outSecret(`${record.access_token}\n`);
    return 0;
  },
};
