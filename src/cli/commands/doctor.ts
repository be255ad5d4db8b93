import { doctor } from '../../usecases/doctor/doctor.js';
import type { Command, CommonFlags } from '../command.js';
import { printDoctor } from '../report/doctor.js';

/** `doctor [--json]`: every check, one line per finding with its fix; exit 1 when any is an error. */
export const doctorCommand: Command<CommonFlags, { json: boolean }> = {
  parse: (flags) => ({ json: flags.json === true }),
  async run(cli, input) {
    const report = await doctor(cli.deps);
    printDoctor(cli.io, report, input);
    return report.errors > 0 ? 1 : 0;
  },
};
