import { UsageError } from '../../errors.js';
import { refreshRound } from '../../usecases/refresh.js';
import { watch } from '../../usecases/watch.js';
import { nowSeconds, type Command, type CommonFlags } from '../command.js';
import { exitStatus } from '../exit-codes.js';
import { jsonSummary, printOutcome } from '../report/steps.js';
import { watchLog } from '../report/watch.js';

export interface RefreshFlags extends CommonFlags {
  once?: boolean;
  watch?: boolean;
  interval?: number;
  buffer?: number;
  force?: boolean;
}

interface RefreshInput {
  watch: boolean;
  bufferSeconds: number;
  intervalSeconds: number;
  force: boolean;
  json: boolean;
}

/** `refresh [--once | --watch] [--interval 300] [--buffer 3600] [--force]`. */
export const refreshCommand: Command<RefreshFlags, RefreshInput> = {
  parse(flags) {
    if (flags.once && flags.watch) throw new UsageError('--once and --watch exclude each other');
    return {
      watch: flags.watch === true,
      bufferSeconds: flags.buffer ?? 3600,
      intervalSeconds: flags.interval ?? 300,
      force: flags.force === true,
      json: flags.json === true,
    };
  },
  async run(cli, input) {
    if (input.watch) {
      await watch(cli.deps, {
        ...input,
        reload: cli.reload,
        onEvent: watchLog(cli.io, () => cli.deps.clock.now()),
      });
      return 0;
    }
    const round = await refreshRound(cli.deps, {
      bufferSeconds: input.bufferSeconds,
      force: input.force,
      progress: true,
      onOutcome: (outcome) => printOutcome(cli.io, outcome, { cwd: cli.cwd, nowSeconds: nowSeconds(cli) }),
    });
    const status = exitStatus(round.outcomes);
    if (input.json) cli.io.out(jsonSummary(round.outcomes, status));
    return status;
  },
};
