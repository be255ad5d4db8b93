import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';

/**
 * The completion scripts in the real shells: bash's completion function called as bash calls it,
 * fish's own `complete -C`, zsh loading the script and registering it. `mcpgw-creds` is on PATH as
 * a user's would be, since the scripts ask it for server names on Tab.
 */
let cwd: string;
let env: Record<string, string>;

function shell(program: string, args: string[]): string {
  const run = spawnSync(program, args, { cwd, env, encoding: 'utf8', timeout: 30_000 });
  expect(run.status, `${program}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

beforeAll(() => {
  cwd = makeWorkdir('mcpgw-completion-');
  const bin = path.join(cwd, 'bin');
  mkdirSync(bin);
  symlinkSync(BIN, path.join(bin, 'mcpgw-creds'));
  env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.config') };
  writeFileSync(path.join(cwd, '.env'), 'REGISTRY_URL=https://gateway.example.com\nMCP_SERVERS=currenttime,fininfo\n', { mode: 0o600 });
  // A token file whose server field is shell code (a crafted file, say from an unpacked archive).
  mkdirSync(path.join(cwd, '.oauth-tokens'), { mode: 0o700 });
  writeFileSync(
    path.join(cwd, '.oauth-tokens', 'atlassian-evil-egress.json'),
    JSON.stringify({ access_token: 'x', expires_at: 4_102_444_800, provider: 'atlassian', server: '$(touch PWNED)`touch PWNED2`' }),
    { mode: 0o600 },
  );
  for (const name of ['bash', 'zsh', 'fish']) {
    writeFileSync(path.join(cwd, `script.${name}`), shell(path.join(bin, 'mcpgw-creds'), ['completion', name]));
  }
});

/** What bash offers for a command line whose last word is being completed. */
function bashOffers(...words: string[]): string[] {
  const script = [
    `source ${path.join(cwd, 'script.bash')}`,
    `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_mcpgw_creds',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  return shell('bash', ['-c', script]).split('\n').filter(Boolean);
}

/** What fish offers (its own completion engine): the words, without descriptions. */
function fishOffers(line: string): string[] {
  const out = shell('fish', ['--no-config', '-c', `source ${path.join(cwd, 'script.fish')}; complete -C ${JSON.stringify(line)}`]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.split('\t')[0] ?? '');
}

describe('completion', () => {
  it('bash: commands, options, nested commands, clients, providers, shells, and the servers of this folder', () => {
    expect(bashOffers('mcpgw-creds', 'tok')).toEqual(['token']);
    expect(bashOffers('mcpgw-creds', 'token', '--se')).toEqual(['--server']);
    expect(bashOffers('mcpgw-creds', 'headers', '--server', '')).toEqual(['currenttime', 'fininfo', 'mcpgw']);
    expect(bashOffers('mcpgw-creds', 'headers', '--server', 'f')).toEqual(['fininfo']);
    // The crafted server name is neither offered nor run.
    expect(existsSync(path.join(cwd, 'PWNED')) || existsSync(path.join(cwd, 'PWNED2'))).toBe(false);
    expect(bashOffers('mcpgw-creds', '--provider', 'atl')).toEqual(['atlassian']);
    expect(bashOffers('mcpgw-creds', 'install', 'cl').sort()).toEqual(['claude-code', 'claude-desktop', 'cline']);
    expect(bashOffers('mcpgw-creds', 'install', 'cursor', '--mode', '')).toEqual(['helper', 'bridge', 'inline']);
    expect(bashOffers('mcpgw-creds', 'keycloak', 'cr')).toEqual(['create-agent']);
    expect(bashOffers('mcpgw-creds', 'keycloak', 'create-agent', '--agent')).toEqual(['--agent-id']);
    expect(bashOffers('mcpgw-creds', 'completion', 'z')).toEqual(['zsh']);
    expect(bashOffers('mcpgw-creds', '--ingress')).toEqual(['--ingress-only']);
  });

  it('fish: the same, through fish itself', () => {
    expect(fishOffers('mcpgw-creds tok')).toEqual(['token']);
    expect(fishOffers('mcpgw-creds headers --server ')).toEqual(['currenttime', 'fininfo', 'mcpgw']);
    expect(fishOffers('mcpgw-creds keycloak ')).toEqual(['create-agent', 'delete-agent', 'list-agents', 'rotate-secret']);
    expect(fishOffers('mcpgw-creds install cl')).toEqual(['claude-code', 'claude-desktop', 'cline']);
    expect(fishOffers('mcpgw-creds token --')).toEqual(expect.arrayContaining(['--agent', '--server', '--ingress', '--tokens-dir']));
  });

  it('zsh: the script parses, and loads as a completion function for mcpgw-creds', () => {
    const file = path.join(cwd, 'script.zsh');
    shell('zsh', ['-n', file]);
    expect(shell('zsh', ['-f', '-c', `autoload -U compinit; compinit -u -D; source ${file}; print -- $_comps[mcpgw-creds]`]).trim()).toBe(
      '_mcpgw_creds',
    );
  });

  it('--servers lists the servers without creating a tokens directory, and an unknown shell is a usage error', async () => {
    const empty = makeWorkdir('mcpgw-completion-empty-');
    const servers = await runCli(['completion', '--servers'], { cwd: empty });
    expect(servers.code).toBe(0);
    expect(servers.stdout).toBe('mcpgw\n');
    expect(existsSync(path.join(empty, '.oauth-tokens'))).toBe(false);
    const bad = await runCli(['completion', 'tcsh'], { cwd: empty });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no completion for "tcsh": bash, zsh or fish');
  });
});
