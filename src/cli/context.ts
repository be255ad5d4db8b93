import type { Clock } from '../ports.js';
import type { Io } from './io.js';

/**
 * What every command receives from the entry point: built once in `main`, handed in whole by tests.
 * Commands build what they need (stores, clients) from it, and only when they need it.
 */
export interface CliContext {
  io: Io;
  cwd: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** The path of the running program, for the commands it writes into configurations (headersHelper). */
  entryScript?: string | undefined;
}
