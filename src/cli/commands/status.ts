import { tokenStatus } from '../../usecases/status.js';
import type { Command, CommonFlags } from '../command.js';
import { exitStatus } from '../exit-codes.js';
import { expiringError, printStatus } from '../report/status.js';
import { printError } from '../report/steps.js';

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
    const error = expiringError(report.expiring, input.bufferSeconds);
    printError(cli.io, error);
    return exitStatus(error);
  },
};
