import { UsageError } from '../../errors.js';
import { initialize } from '../../usecases/init/init.js';
import { scriptedPrompter } from '../../usecases/init/prompter.js';
import { nowSeconds, type Command, type CommonFlags } from '../command.js';
import { EXIT } from '../exit-codes.js';

export interface InitFlags extends CommonFlags {
  authProvider?: string;
  registryUrl?: string;
  set?: string[];
  force?: boolean;
}

interface InitInput {
  answers: Record<string, string>;
  force: boolean;
  json: boolean;
}

const NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * `init`: a guided first setup that writes .env. On a terminal it asks; without one it takes the
 * answers from --auth-provider, --registry-url, --set NAME=VALUE and the environment (secrets from
 * the environment only), never asks, and names what is missing (exit 2).
 */
export const initCommand: Command<InitFlags, InitInput> = {
  parse(flags) {
    const answers: Record<string, string> = {};
    if (flags.envFile !== undefined) {
      throw new UsageError('init writes ./.env in this folder; --env-file does not apply to it', 'run init in the folder the .env is for');
    }
    for (const pair of flags.set ?? []) {
      const at = pair.indexOf('=');
      // Named without its value: a mistyped secret must not reach a CI log.
      const name = at < 0 ? pair.slice(0, 40) : pair.slice(0, at);
      if (at < 1 || !NAME.test(name))
        throw new UsageError(`--set ${name}...: write it as NAME=VALUE, e.g. --set KEYCLOAK_REALM=mcp-gateway`);
      if (/SECRET|PASSWORD/i.test(name)) {
        throw new UsageError(
          `--set ${name}=...: a secret on the command line is visible to every user of this machine`,
          `export ${name} instead`,
        );
      }
      answers[name] = pair.slice(at + 1);
    }
    if (flags.authProvider !== undefined) answers.AUTH_PROVIDER = flags.authProvider;
    if (flags.registryUrl !== undefined) answers.REGISTRY_URL = flags.registryUrl;
    // Where the token goes is written down too, so the next run looks there.
    if (flags.tokensDir !== undefined) answers.MCPGW_TOKENS_DIR = flags.tokensDir;
    if (flags.store !== undefined) answers.MCPGW_STORE = flags.store;
    return { answers, force: flags.force === true, json: flags.json === true };
  },
  envFiles: 'ignore',
  async run(cli, input) {
    const { io, deps } = cli;
    const env = deps.system.env;
    const lookup = (variable: string): string | undefined => input.answers[variable] ?? (env[variable]?.trim() || undefined);
    const prompter = io.canPrompt
      ? await (await import('../../adapters/prompts.js')).terminalPrompter(io.stdin, io.stderr, (value) => io.secrets.add(value))
      : scriptedPrompter(lookup);
    if (io.canPrompt)
      io.info('mcpgw-creds init: a few questions, each answer checked, then one token to prove them; .env is written at the end.\n');
    let outcome;
    try {
      outcome = await initialize(deps, {
        prompter,
        cwd: cli.cwd,
        force: input.force,
        lookup,
        names: [...new Set([...Object.keys(input.answers), ...Object.keys(env)])],
        preset: input.answers,
        now: new Date(deps.clock.now()),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'ExitPromptError') {
        const written = (error as { written?: string[] }).written ?? [];
        io.error(
          written.length > 0
            ? `init stopped: .env not written (the token it obtained is in ${written.join(', ')})`
            : 'init stopped: nothing written',
          'run mcpgw-creds init again when you are ready',
        );
        return EXIT.failure;
      }
      throw error;
    }
    const { printInit } = await import('../report/init.js');
    printInit(io, outcome, { cwd: cli.cwd, json: input.json, nowSeconds: nowSeconds(cli) });
    return EXIT.ok;
  },
};
