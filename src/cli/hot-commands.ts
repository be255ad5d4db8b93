import type { Command } from './command.js';
import type { RunFlags, RunInput } from './commands/run.js';
import type { HeadersFlags } from './commands/headers.js';
import type { TokenFlags } from './commands/token.js';
import type { Target } from '../usecases/fresh-credentials.js';

/** The modules of the commands the hot path runs without commander (each loaded on use). */
export const HOT_COMMANDS = {
  main: async (): Promise<Command<RunFlags, RunInput>> => (await import('./commands/run.js')).runCommand,
  token: async (): Promise<Command<TokenFlags, Target>> => (await import('./commands/token.js')).tokenCommand,
  headers: async (): Promise<Command<HeadersFlags, { server: string }>> => (await import('./commands/headers.js')).headersCommand,
};
