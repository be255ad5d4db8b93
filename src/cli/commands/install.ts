import { CLIENT_IDS, type ClientId, type Mode, type Scope } from '../../clients/catalogue.js';
import { UsageError } from '../../errors.js';
import { install, type InstallInput } from '../../usecases/install.js';
import { uninstall, type UninstallInput } from '../../usecases/uninstall.js';
import type { Command, CommonFlags } from '../command.js';
import { printInstall, printUninstall } from '../report/install.js';

export interface InstallFlags extends CommonFlags {
  scope?: string;
  mode?: string;
  server?: string[];
  print?: boolean;
}

function clientOf(name: string | undefined): ClientId {
  if (name === undefined) throw new UsageError('which client?', `name one of: ${CLIENT_IDS.join(', ')}`);
  const id = name.toLowerCase();
  if (!(CLIENT_IDS as readonly string[]).includes(id))
    throw new UsageError(`unknown client "${name}"`, `name one of: ${CLIENT_IDS.join(', ')}`);
  return id as ClientId;
}

function scopeOf(value: string | undefined): Scope | undefined {
  if (value === undefined || value === 'project' || value === 'user') return value;
  throw new UsageError(`--scope is "${value}"`, 'use --scope project or --scope user');
}

function modeOf(value: string | undefined): Mode | undefined {
  if (value === undefined || value === 'helper' || value === 'bridge' || value === 'inline') return value;
  throw new UsageError(`--mode is "${value}"`, 'use --mode helper, bridge or inline');
}

/** `install CLIENT [--scope project|user] [--mode helper|bridge|inline] [--server NAME]... [--print]`. */
export const installCommand: Command<InstallFlags & { args: string[] }, InstallInput & { json: boolean }> = {
  parse: (flags) => ({
    client: clientOf(flags.args[0]),
    scope: scopeOf(flags.scope),
    mode: modeOf(flags.mode),
    servers: flags.server ?? [],
    print: flags.print === true,
    json: flags.json === true,
  }),
  async run(cli, input) {
    printInstall(cli.io, await install(cli.deps, input), { cwd: cli.cwd, json: input.json });
    return 0;
  },
};

/** `uninstall CLIENT [--scope project|user] [--print]`. */
export const uninstallCommand: Command<InstallFlags & { args: string[] }, UninstallInput & { json: boolean }> = {
  parse: (flags) => ({
    client: clientOf(flags.args[0]),
    scope: scopeOf(flags.scope),
    print: flags.print === true,
    json: flags.json === true,
  }),
  async run(cli, input) {
    printUninstall(cli.io, await uninstall(cli.deps, input), { cwd: cli.cwd, json: input.json });
    return 0;
  },
};
