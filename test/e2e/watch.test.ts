import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/run-cli.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'watch-secret-5555666677';

function env(idp: LocalIdp | { baseUrl: string }): Record<string, string> {
  return {
    AUTH_PROVIDER: 'keycloak',
    KEYCLOAK_URL: idp.baseUrl,
    KEYCLOAK_M2M_CLIENT_ID: 'm2m',
    KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    REGISTRY_URL: 'https://gateway.example.com',
  };
}

const count = (text: string, pattern: RegExp): number => (text.match(new RegExp(pattern.source, 'g')) ?? []).length;

describe('refresh --watch', () => {
  it('renews short-lived tokens across two expiries, then stops cleanly on SIGTERM', async () => {
    // Tokens of 6 s, a buffer of 2 s: renewed at ~4 s and ~8 s after the first.
    const idp = await startLocalIdp({ shape: 'keycloak', accessTokenTtl: 6, clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
    try {
      const cwd = makeWorkdir('mcpgw-watch-');
      const watcher = startCli(['refresh', '--watch', '--buffer', '2', '--interval', '60'], { cwd, env: env(idp), timeoutMs: 60_000 });
      await watcher.waitForStderr(/watching .*\.oauth-tokens/);
      await watcher.waitForStderr(/ingress keycloak: renewed, expires/);
      const first = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).access_token as string;
      const seen = new Set([first]);
      const deadline = Date.now() + 20_000;
      while (seen.size < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        seen.add(readJson(path.join(cwd, '.oauth-tokens', 'ingress.json')).access_token as string);
      }
      expect(seen.size).toBe(3);
      expect(existsSync(path.join(cwd, '.oauth-tokens', 'watcher.json'))).toBe(true);
      // The configurations follow each renewal.
      expect(readJson(path.join(cwd, '.oauth-tokens', 'mcp.json')).mcpServers.mcpgw.headers['X-Authorization']).toMatch(/^Bearer /);

      // Stopped between rounds: once the third token's round has rendered it (a signal that lands
      // mid-round lets that round finish its render first, and the last lines would differ).
      await watcher.waitForStderr(/(render: rewrote[^\n]*\n[\s\S]*){3}/);
      watcher.child.kill('SIGTERM');
      const result = await watcher.done;
      expect(result.code).toBe(0);
      expect(count(result.stderr, /ingress keycloak: renewed/)).toBeGreaterThanOrEqual(3);
      expect(result.stderr).toMatch(/SIGTERM: stopping\n.*stopped\n$/);
      expect(existsSync(path.join(cwd, '.oauth-tokens', 'watcher.json'))).toBe(false);
      // One line per action: no line for the checks that found the token fresh.
      expect(result.stderr).not.toContain('cached');
    } finally {
      await idp.close();
    }
  });

  it('backs off while the identity provider is down, and renews once it is back', async () => {
    const port = await closedPort();
    let idp = await startLocalIdp({ shape: 'keycloak', port, accessTokenTtl: 6, clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
    const cwd = makeWorkdir('mcpgw-watch-down-');
    const watcher = startCli(['refresh', '--watch', '--buffer', '2', '--interval', '60'], { cwd, env: env(idp), timeoutMs: 60_000 });
    try {
      await watcher.waitForStderr(/ingress keycloak: renewed/);
      await idp.close();
      await watcher.waitForStderr(/ingress keycloak: cannot reach the Keycloak token endpoint .* connection was refused/, 15_000);
      await watcher.waitForStderr(/an identity provider is unavailable: next try in 5 s/);
      idp = await startLocalIdp({ shape: 'keycloak', port, accessTokenTtl: 6, clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
      // A renewal logged after the first failure: the provider is back.
      await watcher.waitForStderr(/unavailable: next try in 5 s\n[\s\S]*ingress keycloak: renewed, expires/, 30_000);
      watcher.child.kill('SIGINT');
      const result = await watcher.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('SIGINT: stopping');
      // The backoff grows: 5 s, then 10 s, while it stays down.
      const waits = [...result.stderr.matchAll(/next try in (\d+) s/g)].map((m) => Number(m[1]));
      expect(waits[0]).toBe(5);
      for (let i = 1; i < waits.length; i++) expect(waits[i]).toBe(Math.min(60, 5 * 2 ** i));
    } finally {
      watcher.child.kill('SIGKILL');
      await idp.close();
    }
  });

  it('allows one watcher per tokens directory: a second says so and exits, the first goes on', async () => {
    const idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
    const cwd = makeWorkdir('mcpgw-watch-two-');
    const first = startCli(['refresh', '--watch'], { cwd, env: env(idp), timeoutMs: 60_000 });
    try {
      await first.waitForStderr(/ingress keycloak: renewed/);
      const second = startCli(['refresh', '--watch'], { cwd, env: env(idp), timeoutMs: 30_000 });
      const result = await second.done;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`another watcher is already running for ${path.join(cwd, '.oauth-tokens')} (pid ${first.child.pid}`);
      expect(first.child.exitCode).toBeNull();
      expect(readJson(path.join(cwd, '.oauth-tokens', 'watcher.json')).pid).toBe(first.child.pid);
      first.child.kill('SIGTERM');
      expect((await first.done).code).toBe(0);
      // With the first gone, a new one may start.
      const third = startCli(['refresh', '--watch'], { cwd, env: env(idp), timeoutMs: 30_000 });
      await third.waitForStderr(/watching/);
      third.child.kill('SIGTERM');
      expect((await third.done).code).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      await idp.close();
    }
  });
});
