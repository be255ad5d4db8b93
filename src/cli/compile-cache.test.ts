import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir } from './compile-cache.js';

describe('compileCacheDir', () => {
  it("is under the user's cache directory, made at mode 700; off when asked", () => {
    const xdg = mkdtempSync(path.join(tmpdir(), 'mcpgw-cc-'));
    const dir = compileCacheDir({ XDG_CACHE_HOME: xdg }, 'linux');
    expect(dir).toBe(path.join(xdg, 'mcpgw-creds', 'compile-cache'));
    expect(statSync(dir as string).mode & 0o777).toBe(0o700);
    // A relative XDG_CACHE_HOME is ignored, as the XDG specification says.
    expect(compileCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux')).toBe(path.join(homedir(), '.cache', 'mcpgw-creds', 'compile-cache'));
    expect(compileCacheDir({ XDG_CACHE_HOME: xdg, MCPGW_COMPILE_CACHE: '0' }, 'linux')).toBeUndefined();
    expect(compileCacheDir({ XDG_CACHE_HOME: xdg, NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux')).toBeUndefined();
    // Not creatable (a file stands where a directory should): no cache, no error.
    const file = path.join(xdg, 'a-file');
    writeFileSync(file, '');
    expect(compileCacheDir({ XDG_CACHE_HOME: file }, 'linux')).toBeUndefined();
    // Where Node's recursive mkdir would spin forever: no cache, at once.
    expect(compileCacheDir({ XDG_CACHE_HOME: '/proc/no-such-place' }, 'linux')).toBeUndefined();
  });
});
