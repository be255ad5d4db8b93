import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watch, type WatchEvent } from '../../src/usecases/watch.js';
import { runInProcess, testDeps, TestSignals } from '../helpers/in-process.js';
import { makeWorkdir } from '../helpers/workdir.js';

describe('the watcher (use case)', () => {
  it('fails a round whose configuration names another tokens directory, sleeps, and stops on request', async () => {
    const cwd = makeWorkdir('mcpgw-watch-inproc-');
    const { deps } = await testDeps({ cwd });
    const { deps: elsewhere } = await testDeps({ cwd, env: { MCPGW_TOKENS_DIR: 'other-tokens' } });
    const signals = new TestSignals();
    const events: WatchEvent[] = [];
    const started = Date.now();
    await watch(
      { ...deps, signals },
      {
        bufferSeconds: 3600,
        intervalSeconds: 60,
        force: false,
        reload: () => ({ config: elsewhere.config, providers: elsewhere.providers }),
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'sleeping') signals.send('SIGTERM');
        },
      },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(events.map((event) => event.type)).toEqual(['started', 'round-failed', 'sleeping', 'stopping', 'stopped']);
    const failed = events[1] as Extract<WatchEvent, { type: 'round-failed' }>;
    expect(String(failed.error)).toContain('other-tokens');
    expect(existsSync(path.join(cwd, '.oauth-tokens', 'watcher.json'))).toBe(false);
  });
});

describe('keycloak commands keep no tokens', () => {
  it('need no keychain even with --store keychain: a missing admin setting is the error (exit 2)', async () => {
    const cwd = makeWorkdir('mcpgw-kc-inproc-');
    const result = await runInProcess(['keycloak', 'list-agents', '--store', 'keychain'], {
      cwd,
      env: { KEYCLOAK_URL: 'http://127.0.0.1:9' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('KEYCLOAK_ADMIN is not set');
    expect(result.stderr).not.toContain('keychain');
  });

  it('refuse a bad --agent-id before reading anything', async () => {
    const cwd = makeWorkdir('mcpgw-kc-inproc-');
    const result = await runInProcess(['keycloak', 'create-agent', '--agent-id', 'ops-egress', '--store', 'nonsense'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('may not end in "-token" or "-egress"');
    expect(result.stderr).not.toContain('nonsense');
  });
});
