import { realpathSync } from 'node:fs';
import type { Browser, Clock, ProgramPaths, Signals, Terminal } from '../ports.js';
import { configSources, type Command, type CommonFlags } from './command.js';
import { EXIT, exitStatus } from './exit-codes.js';
import { HOT_COMMANDS } from './hot-commands.js';
import { parseHotCommand } from './hot-path.js';
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

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The entry point: parses argv, runs the command (each lazily imported, so `--help` and the cached
 * paths load little), and turns every error into a message and its exit status. `token` and
 * `headers` on a plain command line skip commander (hot-path.ts); everything else goes through it.
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
      // Both modules load at once: each dynamic import is a round of file reads.
      const [command, { wire }] = await Promise.all([load(), import('./wire.js')]);
      const input = command.parse(flags, env);
      const sources = command.envFiles === 'ignore' ? { ...configSources(flags), ignoreEnvFiles: true } : configSources(flags);
      const { deps, reload } = await wire(sources, io, {
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
  try {
    const hot = parseHotCommand(argv.slice(2));
    if (hot) {
      await act(HOT_COMMANDS[hot.command] as () => Promise<Command<CommonFlags, unknown>>)(hot.flags);
      return ran.exitCode;
    }
    const { runProgram } = await import('./program.js');
    return (await runProgram(argv, io, stderr, { act, actWithArgs })) ?? ran.exitCode;
  } catch (error) {
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
