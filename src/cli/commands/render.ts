import { ConfigError } from '../../errors.js';
import { renderConfigs } from '../../usecases/render.js';
import { nowSeconds, type Command, type CommonFlags } from '../command.js';
import { exitStatus } from '../exit-codes.js';
import { jsonSummary, printOutcome } from '../report/steps.js';

/** `render`: writes the client configurations from the token files present. */
export const renderCommand: Command<CommonFlags, { json: boolean }> = {
  parse: (flags) => ({ json: flags.json === true }),
  async run(cli, input) {
    if (cli.deps.config.settings.registryUrl === undefined) {
      throw new ConfigError('REGISTRY_URL is not set, so the servers have no address', {
        hint: "set REGISTRY_URL to the gateway's base URL, e.g. https://gateway.example.com",
      });
    }
    const outcome = await renderConfigs(cli.deps);
    printOutcome(cli.io, outcome, { cwd: cli.cwd, nowSeconds: nowSeconds(cli) });
    const status = exitStatus([outcome]);
    if (input.json) cli.io.out(jsonSummary([outcome], status));
    return status;
  },
};
