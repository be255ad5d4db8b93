/**
 * Options as data, for the commands whose options two parsers read: commander builds them for help
 * and for every unusual command line, and the hot path (hot-path.ts) parses `token` and `headers`
 * with them, so the two cannot disagree on a name.
 */
export interface OptionSpec {
  /** commander's notation: `--name` for a switch, `--name <value>` for an option with a value. */
  flags: string;
  description: string;
  /** Given again, it adds a value (an array) instead of replacing it. */
  repeatable?: boolean;
  /** The camelCase name of an option this one excludes. */
  conflicts?: string;
}

/** The options every command takes: where configuration and tokens are, and how to talk. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { flags: '--env-file <path>', description: 'read this .env file instead of ./.env (repeatable; later files win)', repeatable: true },
  { flags: '--tokens-dir <dir>', description: 'where tokens and rendered configurations go (default: .oauth-tokens)' },
  { flags: '--providers-dir <dir>', description: 'more provider definitions; a file there overrides the built-in one' },
  { flags: '--store <kind>', description: 'where tokens live: file (default; mode 600) or keychain (the OS keychain)' },
  { flags: '--json', description: 'print one JSON summary on stdout' },
  { flags: '--verbose', description: 'say more on stderr', conflicts: 'quiet' },
  { flags: '--quiet', description: 'only warnings and errors on stderr' },
];

export const TOKEN_OPTIONS: readonly OptionSpec[] = [
  { flags: '--ingress', description: 'the gateway (ingress) token (the default)' },
  { flags: '--agent <id>', description: "an agent's token" },
  { flags: '--server <name>', description: 'the egress (or AgentCore) token of a gateway server' },
];

export const HEADERS_OPTIONS: readonly OptionSpec[] = [
  { flags: '--server <name>', description: 'the gateway server (default: $CLAUDE_CODE_MCP_SERVER_NAME)' },
];

/** `--tokens-dir <dir>` → `tokens-dir`; `--json` → `json`. */
export function longName(spec: OptionSpec): string {
  return spec.flags.replace(/^--/, '').split(' ')[0] ?? '';
}

/** commander's key for an option: `tokens-dir` → `tokensDir`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
