import { UsageError } from '../../errors.js';
import { logout } from '../../usecases/logout.js';
import { nowSeconds, type Command, type CommonFlags } from '../command.js';
import { exitStatus } from '../exit-codes.js';
import { jsonSummary, printOutcome } from '../report/steps.js';

export interface LogoutFlags extends CommonFlags {
  server?: string;
  all?: boolean;
}

type LogoutInput = ({ server: string } | { all: true }) & { json: boolean };

/**
 * `logout --server NAME | --all`: revokes each token at its provider where possible, deletes it
 * here, and re-renders the configurations. A failed revocation sets the exit status, but the token
 * is deleted here all the same.
 */
export const logoutCommand: Command<LogoutFlags, LogoutInput> = {
  parse(flags) {
    if ((flags.all === true) === (flags.server !== undefined)) throw new UsageError('say what to log out of: --server NAME, or --all');
    return { ...(flags.server !== undefined ? { server: flags.server } : { all: true as const }), json: flags.json === true };
  },
  async run(cli, input) {
    const outcomes = await logout(cli.deps, {
      ...input,
      onOutcome: (outcome) => printOutcome(cli.io, outcome, { cwd: cli.cwd, nowSeconds: nowSeconds(cli) }),
    });
    const status = exitStatus(outcomes);
    if (input.json) cli.io.out(jsonSummary(outcomes, status));
    return status;
  },
};
