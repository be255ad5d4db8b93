import { readFileSync } from 'node:fs';
import { Command as Program, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CLIENT_IDS } from '../clients/catalogue.js';
import type { Command, CommonFlags } from './command.js';
import { EXIT } from './exit-codes.js';
import { HOT_COMMANDS } from './hot-commands.js';
import type { Io } from './io.js';
import {
  camelCase,
  COMMON_OPTIONS,
  HEADERS_OPTIONS,
  longName,
  MAIN_OPTIONS,
  onlyConflicts,
  TOKEN_OPTIONS,
  wholeSeconds,
  type OptionSpec,
} from './options.js';

/** How a command's action runs it (main.ts): its module loaded, its flags parsed into its input. */
export interface Actions {
  act: <F extends CommonFlags, I>(load: () => Promise<Command<F, I>>) => (flags: F) => Promise<void>;
  actWithArgs: <F extends CommonFlags, I>(
    load: () => Promise<Command<F & { args: string[] }, I>>,
  ) => (...values: unknown[]) => Promise<void>;
}

const CLIENT_NAMES = CLIENT_IDS.join(', ');

const EXAMPLES = `
Examples:
  On a developer's laptop (browser login for egress, then the client configurations):
    $ mcpgw-creds
    $ mcpgw-creds --egress-only --provider atlassian

  In CI (ingress only, no browser, no prompt, one JSON summary on stdout):
    $ CI=1 mcpgw-creds --ingress-only --env-file ci.env --json

  Ingress from Entra ID with a key instead of a secret (AUTH_PROVIDER=entra and ENTRA_* in .env):
    $ INGRESS_CLIENT_AUTH=private_key_jwt INGRESS_PRIVATE_KEY_FILE=agent-key.pem mcpgw-creds --ingress-only

Configuration comes from flags, then the environment, then .env (see .env.example).
Exit status: 0 ok, 2 usage or configuration, 3 refused by the identity provider,
4 identity provider unreachable or broken, 5 browser step not completed in time, 1 other.`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveSeconds(value: string): number {
  const seconds = wholeSeconds(value);
  if (seconds === undefined) throw new InvalidArgumentError('give a whole number of seconds, e.g. 300');
  return seconds;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

const SUBCOMMANDS = [
  'status',
  'token',
  'headers',
  'refresh',
  'logout',
  'install',
  'uninstall',
  'bridge',
  'test',
  'whoami',
  'doctor',
  'keycloak',
  'render',
  'completion',
  'init',
] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/**
 * Which subcommands a command line needs defined: the one it starts with; none for the main run
 * with options only; all for help or anything commander must judge (an unknown command, an
 * argument that is an option's value: telling them apart is commander's job).
 */
export function subcommandsNeeded(args: readonly string[]): Subcommand | 'none' | 'all' {
  const first = args[0];
  if (first !== undefined && (SUBCOMMANDS as readonly string[]).includes(first)) return first as Subcommand;
  return args.some((arg) => arg === '-h' || arg === '--help' || !arg.startsWith('-')) ? 'all' : 'none';
}

/** commander's Option for a spec of options.ts. */
function optionOf(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.repeatable) option.argParser(collect);
  if (spec.conflicts) option.conflicts(spec.conflicts);
  return option;
}

function addOptions(command: Program, specs: readonly OptionSpec[]): Program {
  for (const spec of specs) command.addOption(optionOf(spec));
  return command;
}

/** The options every command takes: where configuration and tokens are, and how to talk. */
function addCommonOptions(command: Program): Program {
  return addOptions(command, COMMON_OPTIONS);
}

/**
 * Parses a command line with commander and runs its command's action. Returns the exit status of
 * help, the version or a usage error, and undefined when the action ran (its status is the action's).
 */
export async function runProgram(argv: string[], io: Io, stderr: NodeJS.WritableStream, actions: Actions): Promise<number | undefined> {
  const program = buildProgram(io, stderr, actions, subcommandsNeeded(argv.slice(2)));
  try {
    await program.parseAsync(argv);
    return undefined;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    return ok ? EXIT.ok : EXIT.usage;
  }
}

/** The commander program with the subcommands `needed` (see subcommandsNeeded). */
function buildProgram(io: Io, stderr: NodeJS.WritableStream, actions: Actions, needed: Subcommand | 'none' | 'all'): Program {
  const { act, actWithArgs } = actions;
  // Set before the subcommands are added: commander copies these settings into each of them.
  const program = new Program('mcpgw-creds')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => void stderr.write(io.redact(text)) })
    .showHelpAfterError('(run mcpgw-creds --help for usage)')
    .enablePositionalOptions();

  program
    .description(
      'Obtains the tokens an MCP Gateway needs (ingress: client credentials from Keycloak, Cognito, Entra ID, Okta, ' +
        'Auth0, PingFederate or any OpenID provider, with a secret or a signed key; ' +
        'egress: browser sign-in with PKCE at Atlassian, Google, GitHub, ...), keeps them at mode 600 in ' +
        '.oauth-tokens/ or in the OS keychain, keeps them fresh, and writes the MCP client configurations that carry them.',
    )
    .version(packageVersion(), '-V, --version')
    .addHelpText('after', EXAMPLES);
  for (const spec of MAIN_OPTIONS) {
    const option = new Option(spec.flags, spec.description);
    const name = camelCase(longName(spec));
    if (spec.hidden) option.hideHelp();
    if (spec.only) option.conflicts(onlyConflicts(name));
    if (spec.repeatable) option.argParser(collect);
    if (spec.seconds) option.argParser(positiveSeconds).default(spec.seconds.default);
    program.addOption(option);
  }
  addCommonOptions(program).action(act(async () => (await import('./commands/run.js')).runCommand));

  // Each run builds only the subcommand it names: building all of them (their options and help) is
  // most of commander's share of a `token` or `headers` run. Help, and anything else commander
  // must judge (an unknown command, a stray argument), gets all of them.
  const define = (name: Subcommand, add: () => void): void => {
    if (needed === 'all' || needed === name) add();
  };

  define('status', () => {
    addCommonOptions(program.command('status'))
      .description('every stored token: expiry, scopes, groups, how it renews, its file (no request is made)')
      .option('--check', 'exit 1 when a token expires within --buffer')
      .option('--buffer <seconds>', 'for --check (default 300)', positiveSeconds)
      .action(act(async () => (await import('./commands/status.js')).statusCommand));
  });
  define('token', () => {
    addOptions(addCommonOptions(program.command('token')), TOKEN_OPTIONS)
      .description('print an access token alone on stdout, renewed first when it is due (less than min(5 min, half its life) left)')
      .addHelpText('after', '\nExample:\n  $ curl -H "X-Authorization: Bearer $(mcpgw-creds token)" https://gateway.example.com/mcpgw/mcp')
      .action(act(HOT_COMMANDS.token));
  });
  define('headers', () => {
    addOptions(addCommonOptions(program.command('headers')), HEADERS_OPTIONS)
      .description('print the JSON object of headers for a gateway server: a headersHelper for Claude Code')
      .action(act(HOT_COMMANDS.headers));
  });
  define('refresh', () => {
    addCommonOptions(program.command('refresh'))
      .description('renew tokens that expire within --buffer (never a sign-in), then re-render; --watch keeps doing it')
      .option('--once', 'one pass (the default)')
      .option('--watch', 'keep running: renew before expiry; stop with Ctrl-C or SIGTERM')
      .option('--interval <seconds>', 'with --watch, check at least this often (default 300)', positiveSeconds)
      .option('--buffer <seconds>', "renew tokens that expire within this (default 3600, at most half a token's life)", positiveSeconds)
      .option('--force', 'renew every token now')
      .option('--concurrency <n>', 'token requests at once for agents and AgentCore sets (default 8, or MCPGW_CONCURRENCY)')
      .action(act(async () => (await import('./commands/refresh.js')).refreshCommand));
  });
  define('logout', () => {
    addCommonOptions(program.command('logout'))
      .description('revoke tokens at their provider where possible, delete them here, and re-render')
      .option('--server <name>', 'the egress (or AgentCore) token of this gateway server')
      .option('--all', 'every token: ingress, agents, AgentCore, egress')
      .action(act(async () => (await import('./commands/logout.js')).logoutCommand));
  });
  define('install', () => {
    addCommonOptions(program.command('install'))
      .description("add the gateway servers to an MCP client's configuration (no token in it unless --mode inline)")
      .argument('<client>', `one of: ${CLIENT_NAMES}`)
      .option('--scope <scope>', 'project (the current directory; the default where the client has one) or user')
      .option('--mode <mode>', 'helper (the client asks mcpgw-creds for headers), bridge (a stdio server) or inline (the tokens)')
      .option('--server <name>', 'only this gateway server (repeatable; default: every one)', collect)
      .option('--print', 'write the resulting file to stdout instead')
      .action(actWithArgs(async () => (await import('./commands/install.js')).installCommand));
  });
  define('uninstall', () => {
    addCommonOptions(program.command('uninstall'))
      .description("remove exactly the entries install wrote into an MCP client's configuration")
      .argument('<client>', `one of: ${CLIENT_NAMES}`)
      .option('--scope <scope>', 'project or user (as for install)')
      .option('--print', 'write the resulting file to stdout instead')
      .action(actWithArgs(async () => (await import('./commands/install.js')).uninstallCommand));
  });
  define('bridge', () => {
    addCommonOptions(program.command('bridge'))
      .description(
        'a stdio MCP server that forwards to the gateway server with fresh headers, for clients that cannot send or refresh them',
      )
      .option('--server <name>', 'the gateway server')
      .option('--url <url>', 'its MCP endpoint (default: REGISTRY_URL/NAME/mcp)')
      .action(act(async () => (await import('./commands/bridge.js')).bridgeCommand));
  });
  define('test', () => {
    addCommonOptions(program.command('test'))
      .description('connect to a gateway server as an MCP client with the current headers: tool names on stdout; a refusal is explained')
      .option('--server <name>', 'the gateway server (default mcpgw)')
      .option('--call <tool>', 'also call this tool; its result goes to stdout')
      .option('--args <json>', 'the arguments of --call, a JSON object')
      .option('--scopes-file <path>', "the gateway's scopes.yml, to say exactly which grant is missing")
      .addHelpText(
        'after',
        `\nExample:\n  $ mcpgw-creds test --server currenttime --call current_time_by_timezone --args '{"tz_name": "UTC"}'`,
      )
      .action(act(async () => (await import('./commands/probe.js')).probeCommand));
  });
  define('whoami', () => {
    addCommonOptions(program.command('whoami'))
      .description('who the stored ingress token says it is (unverified): subject, client, audience, issuer, groups, expiry')
      .option('--scopes-file <path>', "the gateway's scopes.yml: also what the groups allow, and groups that map to nothing")
      .action(act(async () => (await import('./commands/whoami.js')).whoamiCommand));
  });
  define('doctor', () => {
    addCommonOptions(program.command('doctor'))
      .description(
        'check configuration, identity provider, tokens, their files, the gateway, callbacks and installed clients; one line per finding with its fix',
      )
      .action(act(async () => (await import('./commands/doctor.js')).doctorCommand));
  });
  define('keycloak', () => {
    const keycloak = program
      .command('keycloak')
      .description('provision agents in Keycloak (admin credentials from KEYCLOAK_ADMIN / KEYCLOAK_ADMIN_PASSWORD)');
    addCommonOptions(keycloak.command('create-agent'))
      .description('create or update the client agent-ID-m2m (service account, groups mapper, basic scope) and write agent-ID.json')
      .option('--agent-id <id>', 'the agent\'s id (letters, digits, ".", "_", "-")')
      .option('--group <name>', 'a group for its service account (repeatable; default mcp-servers-restricted)', collect)
      .addHelpText(
        'after',
        '\nExample:\n  $ mcpgw-creds keycloak create-agent --agent-id travel-bot --group mcp-servers-restricted\n  $ mcpgw-creds --agents-only',
      )
      .action(act(async () => (await import('./commands/keycloak.js')).createAgentCommand));
    addCommonOptions(keycloak.command('list-agents'))
      .description('list the agent clients of the realm (a table, or --json)')
      .action(act(async () => (await import('./commands/keycloak.js')).listAgentsCommand));
    addCommonOptions(keycloak.command('rotate-secret'))
      .description("give an agent's client a new secret and write it to agent-ID.json")
      .option('--agent-id <id>', "the agent's id")
      .action(act(async () => (await import('./commands/keycloak.js')).rotateSecretCommand));
    addCommonOptions(keycloak.command('delete-agent'))
      .description("delete an agent's client and its local files")
      .option('--agent-id <id>', "the agent's id")
      .action(act(async () => (await import('./commands/keycloak.js')).deleteAgentCommand));
  });
  define('render', () => {
    addCommonOptions(program.command('render'))
      .description('write the client configurations (vscode_mcp.json, mcp.json, claude_mcp.json) from the token files present')
      .action(act(async () => (await import('./commands/render.js')).renderCommand));
  });
  define('init', () => {
    addCommonOptions(program.command('init'))
      .description(
        'a guided first setup: asks for the identity provider, its client, the gateway; checks each answer; fetches one token; writes .env',
      )
      .option(
        '--auth-provider <name>',
        'without a terminal: the identity provider (keycloak, cognito, entra, okta, auth0, pingfederate, oidc)',
      )
      .option('--registry-url <url>', "without a terminal: the gateway's URL")
      .option(
        '--set <NAME=VALUE>',
        'without a terminal: any other answer, e.g. KEYCLOAK_URL=https://... (repeatable; secrets from the environment only)',
        collect,
      )
      .option('--force', 'replace an existing .env without asking')
      .addHelpText(
        'after',
        [
          '',
          'On a terminal, init asks. Without one (CI, a script), it takes the same answers from the flags and the',
          'environment, never asks, and says what is missing (exit 2):',
          '  $ KEYCLOAK_M2M_CLIENT_SECRET=... mcpgw-creds init --auth-provider keycloak --set KEYCLOAK_URL=https://kc.example.com \\',
          '      --set KEYCLOAK_M2M_CLIENT_ID=mcp-gateway-m2m --registry-url https://gateway.example.com',
        ].join('\n'),
      )
      .action(act(async () => (await import('./commands/init.js')).initCommand));
  });
  define('completion', () => {
    addCommonOptions(program.command('completion'))
      .description('print a shell completion script (commands, options, providers, clients, and the servers in the tokens directory)')
      .argument('[shell]', 'bash, zsh or fish')
      .addOption(new Option('--servers', 'print the server names --server completes to, one a line').hideHelp())
      .addHelpText(
        'after',
        [
          '',
          'Install:',
          '  bash: mcpgw-creds completion bash > ~/.local/share/bash-completion/completions/mcpgw-creds',
          '  zsh:  mcpgw-creds completion zsh > "${fpath[1]}/_mcpgw-creds"   (then restart zsh)',
          '  fish: mcpgw-creds completion fish > ~/.config/fish/completions/mcpgw-creds.fish',
        ].join('\n'),
      )
      .action(
        actWithArgs(async () => {
          const { describeProgram } = await import('./completion/describe.js');
          const { completionCommand } = await import('./commands/completion.js');
          return completionCommand(() => describeProgram(buildProgram(io, stderr, actions, 'all')));
        }),
      );
  });

  return program;
}
