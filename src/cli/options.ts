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
  /** One of the `--all` / `--*-only` options, which exclude each other. */
  only?: boolean;
  /** Not in --help (an alias kept for old scripts). */
  hidden?: boolean;
  /** A whole number of seconds (1 to 604800), its default this. */
  seconds?: { default: number };
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

/** The main command's own options (the run without a subcommand). */
export const MAIN_OPTIONS: readonly OptionSpec[] = [
  { flags: '--all', description: 'everything configured (the default)', only: true },
  { flags: '--ingress-only', description: 'only the gateway (ingress) token', only: true },
  { flags: '--egress-only', description: 'only egress tokens (every set, or those of --provider)', only: true },
  { flags: '--agents-only', description: 'only Keycloak agent tokens (alias --keycloak-only)', only: true },
  { flags: '--keycloak-only', description: '', only: true, hidden: true },
  { flags: '--agentcore-only', description: 'only Amazon Bedrock AgentCore tokens', only: true },
  { flags: '--provider <name>', description: 'limit egress to this provider (repeatable)', repeatable: true },
  { flags: '--force', description: 'ignore cached tokens that are still valid' },
  { flags: '--no-browser', description: 'print the authorization URL instead of opening a browser' },
  { flags: '--device', description: 'sign in with the device flow: a URL and a code to confirm on any device' },
  { flags: '--no-device', description: 'never the device flow (by default it is used when no browser can be opened)' },
  { flags: '--timeout <seconds>', description: 'how long to wait for the browser callback', seconds: { default: 300 } },
  { flags: '--concurrency <n>', description: 'token requests at once for agents and AgentCore sets (default 8, or MCPGW_CONCURRENCY)' },
];

/** The `--*-only` options that exclude this one (`--agents-only` and its alias `--keycloak-only` do not exclude each other). */
export function onlyConflicts(name: string): string[] {
  const all = MAIN_OPTIONS.filter((spec) => spec.only && spec.flags !== '--all').map((spec) => camelCase(longName(spec)));
  if (name === 'all') return all;
  const same = name === 'agentsOnly' || name === 'keycloakOnly' ? ['agentsOnly', 'keycloakOnly'] : [name];
  return ['all', ...all].filter((other) => !same.includes(other));
}

/** A whole number of seconds, 1 to 604800 (a week), or undefined. */
export function wholeSeconds(value: string): number | undefined {
  const seconds = Number(value);
  return /^\d+$/.test(value) && seconds > 0 && seconds <= 604_800 ? seconds : undefined;
}

/** `--tokens-dir <dir>` → `tokens-dir`; `--json` → `json`. */
export function longName(spec: OptionSpec): string {
  return spec.flags.replace(/^--/, '').split(' ')[0] ?? '';
}

/** commander's key for an option: `tokens-dir` → `tokensDir`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
