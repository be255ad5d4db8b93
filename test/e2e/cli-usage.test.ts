import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';

describe('command-line usage', () => {
  it('prints help on stdout with examples for CI and a laptop, exit 0', async () => {
    const result = await runCli(['--help'], { cwd: makeWorkdir() });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const text of [
      '--ingress-only',
      '--egress-only',
      '--agents-only',
      '--agentcore-only',
      '--provider',
      '--force',
      '--env-file',
      '--tokens-dir',
      '--providers-dir',
      '--no-browser',
      '--timeout',
      '--json',
      '--verbose',
      '--quiet',
      'In CI',
      'laptop',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });

  it.each([
    [['--ingress-only', '--egress-only']],
    [['--all', '--agentcore-only']],
    [['--agents-only', '--ingress-only']],
    [['--keycloak-only', '--egress-only']],
    [['--verbose', '--quiet']],
    [['--timeout', 'soon']],
    [['--timeout', '0']],
    [['--no-such-flag']],
    [['--ingress-only', '--provider', 'github']],
    [['stray-argument']],
  ])('exits 2 on %j', async (args) => {
    const result = await runCli(args, { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/error/);
  });

  it('accepts --agents-only with its alias', async () => {
    const result = await runCli(['--agents-only', '--keycloak-only'], { cwd: makeWorkdir() });
    // Nothing configured: a configuration error, not a usage error about the pair.
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('agent-{id}.json');
  });

  it('prints the version', async () => {
    const result = await runCli(['--version'], { cwd: makeWorkdir() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('with nothing configured at all, exits 2 with one short message pointing to init', async () => {
    const result = await runCli([], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: nothing is configured: no AUTH_PROVIDER, no agent file in .*, no AgentCore or egress set/);
    expect(result.stderr).toContain('there is no .env here');
    expect(result.stderr).toContain('run mcpgw-creds init');
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).not.toContain('skipped');
  });

  it('says that at --quiet too (an error), and as JSON with --json', async () => {
    const quiet = await runCli(['--quiet'], { cwd: makeWorkdir() });
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).toContain('nothing is configured');
    const json = await runCli(['--json'], { cwd: makeWorkdir() });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exit_code: 2, steps: [], error: { code: 'config' } });
  });
});

describe('pipes', () => {
  it('stops quietly when the reader closes the pipe early (| head)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('../helpers/run-cli.js');
    const result = spawnSync('/bin/sh', ['-c', `'${BIN}' --help | head -1`], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/^Usage: mcpgw-creds/);
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.stderr).toBe('');
  });
});

describe('the compile cache', () => {
  const major = Number(process.versions.node.split('.')[0]);
  const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

  it(`${hasCompileCache ? 'fills' : 'is harmless without'} the compile cache in the user's cache directory (Node ${major})`, async () => {
    const cwd = makeWorkdir();
    const cache = path.join(cwd, 'xdg-cache');
    const first = await runCli(['--help'], { cwd, env: { XDG_CACHE_HOME: cache } });
    expect(first.code).toBe(0);
    const dir = path.join(cache, 'mcpgw-creds', 'compile-cache');
    if (hasCompileCache) {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(readdirSync(dir).length).toBeGreaterThan(0);
    } else {
      expect(existsSync(cache)).toBe(false);
    }
    // A second run reads it and answers the same.
    const second = await runCli(['--help'], { cwd, env: { XDG_CACHE_HOME: cache } });
    expect(second.stdout).toBe(first.stdout);
  });

  it('MCPGW_COMPILE_CACHE=0 turns it off: no directory is made', async () => {
    const cwd = makeWorkdir();
    const cache = path.join(cwd, 'xdg-cache');
    expect((await runCli(['--version'], { cwd, env: { XDG_CACHE_HOME: cache, MCPGW_COMPILE_CACHE: '0' } })).code).toBe(0);
    expect(existsSync(cache)).toBe(false);
  });
});
