import type { ConfigSources } from '../config/settings.js';
import type { Deps } from '../usecases/deps.js';
import type { Reload } from '../usecases/watch.js';
import type { Io } from './io.js';

/** The options every command takes (commander's flag object; it goes no further than src/cli/). */
export interface CommonFlags {
  envFile?: string[];
  tokensDir?: string;
  providersDir?: string;
  store?: string;
  concurrency?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** What a command runs with: the streams, the wired dependencies, the working directory. */
export interface Cli {
  io: Io;
  deps: Deps;
  cwd: string;
  /** The configuration read again (for the watcher, which runs for days). */
  reload: Reload;
}

/**
 * A command in two halves, as gh's NewCmd/run: `parse` turns commander's flags into the command's
 * input and rejects bad combinations (before anything is read or wired, so it is testable as a
 * table); `run` calls one use case and hands its outcome to the report and the exit status.
 */
export interface Command<F, I> {
  parse(flags: F, env: NodeJS.ProcessEnv): I;
  run(cli: Cli, input: I): Promise<number>;
  /** `files`: the command keeps no tokens, so it uses plain files even with `--store keychain`. */
  storage?: 'files';
  /** `ignore`: the command reads no .env file at all (init, which replaces it, must run beside a broken one). */
  envFiles?: 'ignore';
}

export function configSources(flags: CommonFlags): ConfigSources {
  return {
    envFiles: flags.envFile ?? [],
    tokensDir: flags.tokensDir,
    providersDir: flags.providersDir,
    store: flags.store,
    concurrency: flags.concurrency,
  };
}

/** Seconds since the epoch, for the report's "expires in ...". */
export function nowSeconds(cli: Cli): number {
  return Math.floor(cli.deps.clock.now() / 1000);
}
