import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadEnv } from './env-files.js';

describe('loadEnv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'envfiles-'));
  writeFileSync(path.join(dir, '.env'), 'A=dot\nB=dot\n');
  writeFileSync(path.join(dir, 'one.env'), 'A=one\nC=one\n');
  writeFileSync(path.join(dir, 'two.env'), 'C=two\n');

  it('reads ./.env when present, under the process environment', () => {
    const { env, files } = loadEnv({ cwd: dir, envFiles: [], processEnv: { B: 'process' } });
    expect(env).toMatchObject({ A: 'dot', B: 'process' });
    expect(files).toEqual([path.join(dir, '.env')]);
  });
  it('reads --env-file files instead, later ones winning, and not ./.env', () => {
    const { env } = loadEnv({ cwd: dir, envFiles: ['one.env', 'two.env'], processEnv: {} });
    expect(env).toEqual({ A: 'one', C: 'two' });
  });
  it('keeps an empty process variable over a file value (it is set)', () => {
    expect(loadEnv({ cwd: dir, envFiles: [], processEnv: { A: '' } }).env.A).toBe('');
  });
  it('fails on a missing --env-file, but not on a missing ./.env', () => {
    expect(() => loadEnv({ cwd: dir, envFiles: ['missing.env'], processEnv: {} })).toThrow(ConfigError);
    expect(loadEnv({ cwd: tmpdir(), envFiles: [], processEnv: {} }).files).toEqual([]);
  });
});
