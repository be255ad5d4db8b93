import { parseArgs } from 'node:util';
import { camelCase, COMMON_OPTIONS, HEADERS_OPTIONS, longName, TOKEN_OPTIONS, type OptionSpec } from './options.js';

/** The commands that run on every MCP connection (a headersHelper, a script's `$(mcpgw-creds token)`). */
const HOT: Record<HotCommand, readonly OptionSpec[]> = {
  token: [...COMMON_OPTIONS, ...TOKEN_OPTIONS],
  headers: [...COMMON_OPTIONS, ...HEADERS_OPTIONS],
};
export type HotCommand = 'token' | 'headers';

/**
 * `token` and `headers` parsed with Node's own parseArgs, which costs nothing to load, instead of
 * commander (a fifth of these commands' own start-up). Only plain command lines are taken: anything
 * parseArgs rejects or commander would judge differently (help, an unknown option, a value that
 * looks like an option, options that exclude each other) returns undefined, and commander parses the
 * line and words the error as it does for every other command.
 */
export function parseHotCommand(args: readonly string[]): { command: HotCommand; flags: Record<string, unknown> } | undefined {
  const [command, ...rest] = args;
  if (command !== 'token' && command !== 'headers') return undefined;
  const specs = HOT[command];
  const options = Object.fromEntries(
    specs.map(
      (spec) => [longName(spec), { type: spec.flags.includes('<') ? 'string' : 'boolean', multiple: spec.repeatable === true }] as const,
    ),
  );
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...rest], options, strict: true, allowPositionals: false }).values;
  } catch {
    return undefined;
  }
  const flags = Object.fromEntries(Object.entries(values).map(([name, value]) => [camelCase(name), value]));
  const given = (name: string): boolean => flags[name] !== undefined;
  const clash = specs.some((spec) => spec.conflicts !== undefined && given(camelCase(longName(spec))) && given(spec.conflicts));
  return clash ? undefined : { command, flags };
}
