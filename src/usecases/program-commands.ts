import type { Deps } from './deps.js';

const shellQuote = (text: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/**
 * This very program as a command another program can run from any directory and without a global
 * install: the Node.js executable and the entry script by absolute paths, and the tokens directory,
 * `.env` files, provider folder and store of this run, so it finds the same tokens.
 */
function programCommand(deps: Pick<Deps, 'config' | 'program'>, args: readonly string[]): { command: string; args: string[] } {
  const { settings } = deps.config;
  const tail = ['--tokens-dir', settings.tokensDir, ...settings.envFiles.flatMap((file) => ['--env-file', file])];
  if (settings.providersDir) tail.push('--providers-dir', settings.providersDir);
  if (settings.store === 'keychain') tail.push('--store', 'keychain');
  return { command: deps.program.node, args: ['--', deps.program.script, ...args, ...tail] };
}

/** The shell command that prints a server's headers (Claude Code's headersHelper, Codex's http_headers_helper). */
export function headersHelperCommand(deps: Pick<Deps, 'config' | 'program'>): (server: string) => string {
  return (server) => {
    const { command, args } = programCommand(deps, ['headers', '--server', server]);
    return [command, ...args].map(shellQuote).join(' ');
  };
}

/** The stdio command of the bridge for a server. */
export function bridgeCommand(deps: Pick<Deps, 'config' | 'program'>): (server: string) => { command: string; args: string[] } {
  return (server) => programCommand(deps, ['bridge', '--server', server]);
}
