import { whoami } from '../../usecases/whoami.js';
import type { Command, CommonFlags } from '../command.js';
import { printWhoami } from '../report/whoami.js';

export interface WhoamiFlags extends CommonFlags {
  scopesFile?: string;
}

/** `whoami [--scopes-file PATH]`: the stored ingress token's claims (unverified), and what its groups allow. */
export const whoamiCommand: Command<WhoamiFlags, { scopesFile: string | undefined; json: boolean }> = {
  parse: (flags) => ({ scopesFile: flags.scopesFile, json: flags.json === true }),
  async run(cli, input) {
    const report = await whoami(cli.deps, input);
    printWhoami(cli.io, report, { json: input.json });
    return 0;
  },
};
