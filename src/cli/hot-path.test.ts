import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommonFlags } from './command.js';
import { parseHotCommand } from './hot-path.js';
import { createIo } from './io.js';
import { runProgram } from './program.js';

/** What commander hands the command's action for this command line, or the exit status it gives instead. */
async function commanderFlags(args: string[]): Promise<{ command: string; flags: Record<string, unknown> } | number> {
  const io = await createIo({ stdout: new PassThrough(), stderr: new PassThrough(), env: {} });
  let seen: { command: string; flags: Record<string, unknown> } | undefined;
  const status = await runProgram(['node', 'mcpgw-creds', ...args], io, new PassThrough(), {
    act: (load) => async (flags) => {
      const command = await load();
      const { tokenCommand } = await import('./commands/token.js');
      const { runCommand } = await import('./commands/run.js');
      const name = command === tokenCommand ? 'token' : command === (runCommand as unknown) ? 'main' : 'other';
      seen = { command: name, flags: { ...flags } as Record<string, unknown> };
    },
    actWithArgs: () => () => Promise.resolve(),
  });
  if (seen && args[0] === 'headers') seen.command = 'headers';
  return seen ?? status ?? -1;
}

const PLAIN = [
  [],
  ['--ingress-only'],
  ['--ingress-only', '--force', '--quiet', '--json'],
  ['--egress-only', '--provider', 'atlassian', '--provider=github', '--no-browser', '--timeout', '30'],
  ['--agents-only', '--keycloak-only', '--concurrency', '4'],
  ['--all', '--device', '--env-file', 'ci.env', '--tokens-dir', 't', '--store', 'file'],
  ['--no-device', '--timeout=604800', '--verbose'],
  ['--agentcore-only'],
  ['token'],
  ['token', '--json'],
  ['token', '--agent', 'travel-bot'],
  ['token', '--server=atlassian', '--quiet'],
  ['token', '--ingress', '--tokens-dir', '/tmp/t', '--store', 'keychain', '--providers-dir', 'p'],
  ['token', '--env-file', 'a.env', '--env-file=b.env', '--verbose'],
  ['headers'],
  ['headers', '--server', 'mcpgw'],
  ['headers', '--server', 'mcpgw', '--env-file', 'ci.env', '--json'],
];
const DECLINED = [
  ['--ingress-only', '--egress-only'],
  ['--all', '--agents-only'],
  ['--timeout', '0'],
  ['--timeout', '1.5'],
  ['--timeout', '604801'],
  ['--browser'],
  ['--no-force'],
  ['--no-json'],
  ['-V'],
  ['--version'],
  ['--help'],
  ['--json', 'token'],
  ['--provider'],
  ['token', '--server', '--json'],
  ['token', '--help'],
  ['token', '-h'],
  ['token', 'extra'],
  ['token', '--nope'],
  ['token', '--server'],
  ['token', '--json=yes'],
  ['token', '--verbose', '--quiet'],
  ['token', '--', '--json'],
  ['headers', '--agent', 'a'],
  ['headers', '-V'],
  ['status'],
];

describe('the hot path: token and headers without commander', () => {
  for (const args of PLAIN) {
    it(`takes "${args.join(' ')}" with the flags commander gives`, async () => {
      const hot = parseHotCommand(args);
      expect(hot).toBeDefined();
      expect(await commanderFlags(args)).toEqual({ command: hot?.command, flags: hot?.flags as CommonFlags });
    });
  }
  it('leaves everything else to commander (help, unknown or ambiguous options, conflicts, other commands)', () => {
    for (const args of DECLINED) expect(parseHotCommand(args), args.join(' ')).toBeUndefined();
  });
  it('what it declines, commander answers with help or a usage error (exit 0 or 2), never by running the command', async () => {
    // Lines commander runs rather than refuses: a value that looks like an option; a root option before a subcommand.
    const runByCommander = ['token --server --json', '--json token'];
    for (const args of DECLINED.filter((line) => line[0] !== 'status' && !runByCommander.includes(line.join(' ')))) {
      expect([0, 2], args.join(' ')).toContain(await commanderFlags(args));
    }
  });
  it("a value that looks like an option is commander's to judge (it takes it as the value)", async () => {
    expect(parseHotCommand(['token', '--server', '--json'])).toBeUndefined();
    expect(await commanderFlags(['token', '--server', '--json'])).toEqual({ command: 'token', flags: { server: '--json' } });
  });
});
