import { parseArgs } from 'node:util';
import {
  camelCase,
  COMMON_OPTIONS,
  HEADERS_OPTIONS,
  longName,
  MAIN_OPTIONS,
  TOKEN_OPTIONS,
  wholeSeconds,
  type OptionSpec,
} from './options.js';

/**
 * The command lines parsed without commander: `token` and `headers` run on every MCP connection (a
 * headersHelper, a script's `$(mcpgw-creds token)`), and the main run with options only is what
 * people and CI run most.
 */
const HOT: Record<HotCommand, readonly OptionSpec[]> = {
  main: [...MAIN_OPTIONS, ...COMMON_OPTIONS],
  token: [...COMMON_OPTIONS, ...TOKEN_OPTIONS],
  headers: [...COMMON_OPTIONS, ...HEADERS_OPTIONS],
};
export type HotCommand = 'main' | 'token' | 'headers';

const NEGATION = /^--no-(.+)$/;

/**
 * A hot command line parsed with Node's own parseArgs, which costs nothing to load, instead of
 * commander (a fifth of these commands' own start-up). Only plain command lines are taken: anything
 * parseArgs rejects or commander would judge differently (help, the version, an unknown option, a
 * value that looks like an option, a bad number of seconds, options that exclude each other)
 * returns undefined, and commander parses the line and words the error as it does for every other
 * command. The flags are commander's, defaults included (src/cli/hot-path.test.ts holds them equal).
 */
export function parseHotCommand(args: readonly string[]): { command: HotCommand; flags: Record<string, unknown> } | undefined {
  const command: HotCommand | undefined =
    args[0] === undefined || args[0].startsWith('-') ? 'main' : args[0] === 'token' || args[0] === 'headers' ? args[0] : undefined;
  if (command === undefined) return undefined;
  const rest = command === 'main' ? args : args.slice(1);
  const specs = HOT[command];
  // `--no-browser` is the option `browser`, false when given; commander defaults it to true.
  const negatable = new Set(specs.flatMap((spec) => NEGATION.exec(spec.flags)?.[1] ?? []));
  const positive = new Set(specs.filter((spec) => !NEGATION.test(spec.flags)).map(longName));
  const options: Record<string, { type: 'string' | 'boolean'; multiple: boolean }> = {};
  for (const spec of specs) {
    const name = NEGATION.exec(spec.flags)?.[1] ?? longName(spec);
    options[name] = { type: spec.flags.includes('<') ? 'string' : 'boolean', multiple: spec.repeatable === true };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options,
      strict: true,
      allowPositionals: false,
      allowNegative: negatable.size > 0,
      tokens: true,
    });
  } catch {
    return undefined;
  }
  // parseArgs's negation works for any switch; commander knows only the --no-X it was given, and no
  // --X for those.
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const negated = NEGATION.exec(token.rawName)?.[1];
    if (negated !== undefined ? !negatable.has(negated) : !positive.has(token.name)) return undefined;
  }
  const flags: Record<string, unknown> = {};
  for (const name of negatable) if (!positive.has(name)) flags[camelCase(name)] = true;
  for (const spec of specs) if (spec.seconds) flags[camelCase(longName(spec))] = spec.seconds.default;
  for (const [name, value] of Object.entries(parsed.values)) {
    const spec = specs.find((candidate) => longName(candidate) === name);
    if (spec?.seconds) {
      const seconds = typeof value === 'string' ? wholeSeconds(value) : undefined;
      if (seconds === undefined) return undefined;
      flags[camelCase(name)] = seconds;
    } else {
      flags[camelCase(name)] = value;
    }
  }
  const given = (name: string): boolean => flags[name] !== undefined && !(negatable.has(name) && !positive.has(name));
  const clash = specs.some((spec) => spec.conflicts !== undefined && given(camelCase(longName(spec))) && given(spec.conflicts));
  const only = specs.filter((spec) => spec.only && given(camelCase(longName(spec)))).map((spec) => longName(spec));
  const onlyClash = new Set(only.map((name) => (name === 'keycloak-only' ? 'agents-only' : name))).size > 1;
  return clash || onlyClash ? undefined : { command, flags };
}
