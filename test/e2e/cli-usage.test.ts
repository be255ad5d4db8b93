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

  it('with nothing configured, skips every step and says so, exit 0', async () => {
    const result = await runCli([], { cwd: makeWorkdir() });
    expect(result.code).toBe(0);
    for (const step of ['ingress', 'agents', 'agentcore', 'egress', 'render']) expect(result.stderr).toContain(`${step}: skipped`);
  });

  it('says nothing on stderr but errors with --quiet', async () => {
    const result = await runCli(['--quiet'], { cwd: makeWorkdir() });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
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
