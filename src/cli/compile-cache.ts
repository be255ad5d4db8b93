import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where Node.js keeps this CLI's compile cache: `$XDG_CACHE_HOME/mcpgw-creds` (else
 * `~/.cache/mcpgw-creds`), `~/Library/Caches/mcpgw-creds` on macOS, `%LOCALAPPDATA%\mcpgw-creds` on
 * Windows; created at mode 700. Undefined, and no cache, when MCPGW_COMPILE_CACHE=0 or
 * NODE_DISABLE_COMPILE_CACHE is set, or when the directory cannot be made.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (env.MCPGW_COMPILE_CACHE === '0' || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  let base: string | undefined;
  try {
    if (platform === 'win32') base = env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local');
    else if (platform === 'darwin') base = path.join(homedir(), 'Library', 'Caches');
    else base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
    // One level at a time: Node's recursive mkdir can spin forever on some paths (under /proc).
    const dir = path.join(base, 'mcpgw-creds', 'compile-cache');
    for (const level of [base, path.dirname(dir), dir]) {
      try {
        mkdirSync(level, { mode: 0o700 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      }
    }
    return dir;
  } catch {
    return undefined;
  }
}
