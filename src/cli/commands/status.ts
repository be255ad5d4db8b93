import { ExpiringTokensError } from '../../errors.js';
import { tokenStatus } from '../../usecases/status.js';
import type { Command, CommonFlags } from '../command.js';
import { exitStatus } from '../exit-codes.js';
import { expiringMessage, printStatus } from '../report.js';

export interface StatusFlags extends CommonFlags {
  check?: boolean;
  buffer?: number;
}

interface StatusInput {
  json: boolean;
  check: boolean;
  bufferSeconds: number;
}

/** `status [--json] [--check [--buffer SECONDS]]`: every stored token, on stdout; no request is made. */
export const statusCommand: Command<StatusFlags, StatusInput> = {
  parse: (flags) => ({ json: flags.json === true, check: flags.check === true, bufferSeconds: flags.buffer ?? 300 }),
  async run(cli, input) {
    const report = await tokenStatus(cli.deps, { bufferSeconds: input.bufferSeconds });
    printStatus(cli.io, report, { cwd: cli.cwd, json: input.json, check: input.check });
    if (!input.check || report.expiring.length === 0) return 0;
    const { message, hint } = expiringMessage(report.expiring, input.bufferSeconds);
    cli.io.error(message, hint);
    return exitStatus(new ExpiringTokensError(message, hint));
  },
};
