import type { Command as Program } from 'commander';
import { CLIENT_IDS } from '../../clients/catalogue.js';

/** What an option's value completes to: a dynamic list, a path, or fixed words. */
export type ValueKind = 'server' | 'provider' | 'file' | 'dir' | readonly string[];

export interface OptionShape {
  /** `--tokens-dir` */
  long: string;
  description: string;
  /** Undefined for a switch. */
  value?: ValueKind | 'any';
}

export interface CommandShape {
  /** `keycloak create-agent` for a nested one. */
  path: string[];
  description: string;
  options: OptionShape[];
  /** What its first argument completes to (install's client, completion's shell). */
  argument?: readonly string[];
  subcommands: CommandShape[];
}

/** The values of the options whose values are known; any other option with a value takes anything. */
const VALUES: Record<string, ValueKind> = {
  '--server': 'server',
  '--provider': 'provider',
  '--env-file': 'file',
  '--scopes-file': 'file',
  '--tokens-dir': 'dir',
  '--providers-dir': 'dir',
  '--store': ['file', 'keychain'],
  '--scope': ['project', 'user'],
  '--mode': ['helper', 'bridge', 'inline'],
};
const ARGUMENTS: Record<string, readonly string[]> = {
  client: CLIENT_IDS,
  shell: ['bash', 'zsh', 'fish'],
};

/** The program's commands and options as data, read from commander's own definitions (hidden ones left out). */
export function describeProgram(program: Program, path: string[] = []): CommandShape {
  const options: OptionShape[] = program.options
    .filter((option) => !option.hidden && option.long !== undefined)
    .map((option) => {
      const long = option.long ?? '';
      const takesValue = option.required || option.optional;
      return { long, description: option.description, ...(takesValue ? { value: VALUES[long] ?? 'any' } : {}) };
    });
  options.push({ long: '--help', description: 'print help' });
  const argument = program.registeredArguments[0] ? ARGUMENTS[program.registeredArguments[0].name()] : undefined;
  return {
    path,
    description: program.description(),
    options,
    ...(argument ? { argument } : {}),
    subcommands: program.commands.map((command) => describeProgram(command, [...path, command.name()])),
  };
}
