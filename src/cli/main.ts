import { readFileSync, realpathSync } from 'node:fs';
import { Command as Program, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Browser, Clock, ProgramPaths, Signals, Terminal } from '../ports.js';
import { CLIENT_IDS } from '../clients/catalogue.js';
import { configSources, type Command, type CommonFlags } from './command.js';
import { EXIT, exitStatus } from './exit-codes.js';
import { createIo, type IoOptions } from './io.js';

/** What a caller (a test) may put in place of the process's own. */
export interface MainOptions extends IoOptions {
  cwd?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  /** `null`: no browser can be opened. */
  browser?: Browser | null;
  /** `null`: nobody at a terminal. */
  terminal?: Terminal | null;
  signals?: Signals;
  program?: ProgramPaths;
  pid?: number;
  platform?: NodeJS.Platform;
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

const ONLY = ['ingressOnly', 'egressOnly', 'agentsOnly', 'keycloakOnly', 'agentcoreOnly'];

/** The `--*-only` options that exclude this one (`--agents-only` and its alias do not exclude each other). */
function others(option: string): string[] {
  const alias = option === 'agentsOnly' ? ['keycloakOnly'] : [];
  return ONLY.filter((name) => name !== option && !alias.includes(name));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds <= 0 || seconds > 604_800) {
    throw new InvalidArgumentError('give a whole number of seconds, e.g. 300');
  }
  return seconds;
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
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
] as const;

/**
 * Which subcommands a command line needs defined: the one it starts with; none for the main run
 * with options only; all for help or anything commander must judge (an unknown command, an
 * argument that is an option's value: telling them apart is commander's job).
 */
export function subcommandsNeeded(args: readonly string[]): (typeof SUBCOMMANDS)[number] | 'none' | 'all' {
  const first = args[0];
  if (first !== undefined && (SUBCOMMANDS as readonly string[]).includes(first)) return first as (typeof SUBCOMMANDS)[number];
  return args.some((arg) => arg === '-h' || arg === '--help' || !arg.startsWith('-')) ? 'all' : 'none';
}

/** The options every command takes: where configuration and tokens are, and how to talk. */
function addCommonOptions(command: Program): Program {
  return command
    .option('--env-file <path>', 'read this .env file instead of ./.env (repeatable; later files win)', collect)
    .option('--tokens-dir <dir>', 'where tokens and rendered configurations go (default: .oauth-tokens)')
    .option('--providers-dir <dir>', 'more provider definitions; a file there overrides the built-in one')
    .option('--store <kind>', 'where tokens live: file (default; mode 600) or keychain (the OS keychain)')
    .option('--json', 'print one JSON summary on stdout')
    .addOption(new Option('--verbose', 'say more on stderr').conflicts('quiet'))
    .addOption(new Option('--quiet', 'only warnings and errors on stderr'));
}

/**
 * The entry point: parses argv, runs the command (each lazily imported, so `--help` and the cached
 * paths load little), and turns every error into a message and its exit status.
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io = await createIo(options);
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const environment = {
    cwd,
    env,
    program: options.program ?? { node: process.execPath, script: argv[1] ? realpathOr(argv[1]) : 'mcpgw-creds' },
    pid: options.pid ?? process.pid,
    platform: options.platform ?? process.platform,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.browser !== undefined ? { browser: options.browser } : {}),
    ...(options.terminal !== undefined ? { terminal: options.terminal } : {}),
    ...(options.signals ? { signals: options.signals } : {}),
  };
  // Set by the command's action, read after parsing (an object: the action is a closure).
  const ran = { exitCode: EXIT.ok as number, json: false };

  // Each command module is loaded only when its command runs; its flags become its input first,
  // so a usage error is reported before any file is read.
  const act =
    <F extends CommonFlags, I>(load: () => Promise<Command<F, I>>) =>
    async (flags: F): Promise<void> => {
      ran.json = flags.json === true;
      io.verbosity = flags.verbose ? 'verbose' : flags.quiet ? 'quiet' : 'normal';
      const command = await load();
      const input = command.parse(flags, env);
      const { wire } = await import('./wire.js');
      const { deps, reload } = await wire(configSources(flags), io, {
        ...environment,
        ...(command.storage ? { storage: command.storage } : {}),
      });
      ran.exitCode = await command.run({ io, deps, cwd, reload }, input);
    };
  // Commands with arguments: commander passes them first, then the flags and the command.
  const actWithArgs =
    <F extends CommonFlags, I>(load: () => Promise<Command<F & { args: string[] }, I>>) =>
    (...values: unknown[]): Promise<void> =>
      act(load)({ ...(values[values.length - 2] as F), args: values.slice(0, -2) as string[] });

  const stderr = options.stderr ?? process.stderr;
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
    .addOption(new Option('--all', 'everything configured (the default)').conflicts(ONLY))
    .addOption(new Option('--ingress-only', 'only the gateway (ingress) token').conflicts(others('ingressOnly')))
    .addOption(new Option('--egress-only', 'only egress tokens (every set, or those of --provider)').conflicts(others('egressOnly')))
    .addOption(new Option('--agents-only', 'only Keycloak agent tokens (alias --keycloak-only)').conflicts(others('agentsOnly')))
    .addOption(new Option('--keycloak-only').hideHelp().conflicts(others('agentsOnly')))
    .addOption(new Option('--agentcore-only', 'only Amazon Bedrock AgentCore tokens').conflicts(others('agentcoreOnly')))
    .option('--provider <name>', 'limit egress to this provider (repeatable)', collect)
    .option('--force', 'ignore cached tokens that are still valid')
    .option('--no-browser', 'print the authorization URL instead of opening a browser')
    .option('--device', 'sign in with the device flow: a URL and a code to confirm on any device')
    .option('--no-device', 'never the device flow (by default it is used when no browser can be opened)')
    .option('--timeout <seconds>', 'how long to wait for the browser callback', positiveSeconds, 300)
    .option('--concurrency <n>', 'token requests at once for agents and AgentCore sets (default 8, or MCPGW_CONCURRENCY)')
    .addHelpText('after', EXAMPLES);
  addCommonOptions(program).action(act(async () => (await import('./commands/run.js')).runCommand));

  // Each run builds only the subcommand it names: building all of them (their options and help) is
  // most of commander's share of a `token` or `headers` run. Help, and anything else commander
  // must judge (an unknown command, a stray argument), gets all of them.
  const needed = subcommandsNeeded(argv.slice(2));
  const define = (name: (typeof SUBCOMMANDS)[number], add: () => void): void => {
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
    addCommonOptions(program.command('token'))
      .description('print an access token alone on stdout, renewed first when it is due (less than min(5 min, half its life) left)')
      .option('--ingress', 'the gateway (ingress) token (the default)')
      .option('--agent <id>', "an agent's token")
      .option('--server <name>', 'the egress (or AgentCore) token of a gateway server')
      .addHelpText('after', '\nExample:\n  $ curl -H "X-Authorization: Bearer $(mcpgw-creds token)" https://gateway.example.com/mcpgw/mcp')
      .action(act(async () => (await import('./commands/token.js')).tokenCommand));
  });
  define('headers', () => {
    addCommonOptions(program.command('headers'))
      .description('print the JSON object of headers for a gateway server: a headersHelper for Claude Code')
      .option('--server <name>', 'the gateway server (default: $CLAUDE_CODE_MCP_SERVER_NAME)')
      .action(act(async () => (await import('./commands/headers.js')).headersCommand));
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

  try {
    await program.parseAsync(argv);
    return ran.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      return ok ? EXIT.ok : EXIT.usage;
    }
    const { jsonFailure, printError } = await import('./report/steps.js');
    printError(io, error);
    if (ran.json) io.out(jsonFailure(error));
    return exitStatus(error);
  }
}

/**
 * Runs the CLI for this process and exits once stdout and stderr are flushed. Exiting explicitly
 * matters: fetch's idle keep-alive connections would otherwise hold the process open for about
 * 100 ms after the work is done, on every run.
 */
export async function run(argv: string[] = process.argv): Promise<never> {
  // A reader that stops early (`mcpgw-creds --help | head`) closes the pipe: stop quietly, as cat does.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const code = await main(argv);
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(code);
}
