import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

/** Agents' tokens requested side by side, at most --concurrency at once, reported in order, rendered once. */
const AGENTS = Array.from({ length: 24 }, (_, index) => `bot${String(index).padStart(2, '0')}`);
const SECRET = 'parallel-agent-secret-0123456789';
let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp({
    shape: 'keycloak',
    clients: AGENTS.map((id) => ({ clientId: `agent-${id}-m2m`, clientSecret: SECRET, groups: ['mcp-servers-restricted'] })),
  });
});
afterAll(async () => {
  await idp.close();
});

function agentsIn(cwd: string): void {
  const dir = path.join(cwd, '.oauth-tokens');
  mkdirSync(dir, { mode: 0o700 });
  for (const id of AGENTS) {
    writeFileSync(
      path.join(dir, `agent-${id}.json`),
      JSON.stringify({ client_id: `agent-${id}-m2m`, client_secret: SECRET, keycloak_url: idp.baseUrl }),
      { mode: 0o600 },
    );
  }
}

describe('agents in parallel', () => {
  it('--concurrency 4: never more than 4 requests at once, more than one at a time, outcomes in agent order, one render', async () => {
    const cwd = makeWorkdir('mcpgw-parallel-');
    agentsIn(cwd);
    const before = idp.tokenRequests().length;
    const result = await runInProcess(['--agents-only', '--force', '--concurrency', '4', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(idp.tokenRequests().length - before).toBe(AGENTS.length);
    expect(idp.mostTokenRequestsAtOnce()).toBeLessThanOrEqual(4);
    expect(idp.mostTokenRequestsAtOnce()).toBeGreaterThan(1);
    const steps = (JSON.parse(result.stdout) as { steps: Array<{ step: string; name?: string; status: string }> }).steps;
    expect(steps.filter((step) => step.step === 'agents').map((step) => [step.name, step.status])).toEqual(AGENTS.map((id) => [id, 'ok']));
    expect(steps.filter((step) => step.step === 'render')).toHaveLength(1);
  });

  it('MCPGW_CONCURRENCY=1 sends one request at a time; a bad value is a configuration error (exit 2) before any request', async () => {
    const one = makeWorkdir('mcpgw-parallel-');
    agentsIn(one);
    const fresh = await startLocalIdp({
      shape: 'keycloak',
      clients: AGENTS.map((id) => ({ clientId: `agent-${id}-m2m`, clientSecret: SECRET })),
    });
    try {
      const dir = path.join(one, '.oauth-tokens');
      for (const id of AGENTS) {
        writeFileSync(
          path.join(dir, `agent-${id}.json`),
          JSON.stringify({ client_id: `agent-${id}-m2m`, client_secret: SECRET, keycloak_url: fresh.baseUrl }),
          { mode: 0o600 },
        );
      }
      expect((await runInProcess(['--agents-only'], { cwd: one, env: { MCPGW_CONCURRENCY: '1' } })).code).toBe(0);
      expect(fresh.tokenRequests()).toHaveLength(AGENTS.length);
      expect(fresh.mostTokenRequestsAtOnce()).toBe(1);
    } finally {
      await fresh.close();
    }
    const bad = makeWorkdir('mcpgw-parallel-');
    agentsIn(bad);
    const before = idp.tokenRequests().length;
    for (const [args, env, message] of [
      [['--agents-only', '--concurrency', '0'], {}, '--concurrency is "0": give a whole number from 1 to 64'],
      [['--agents-only'], { MCPGW_CONCURRENCY: 'many' }, 'MCPGW_CONCURRENCY is "many": give a whole number from 1 to 64'],
    ] as const) {
      const result = await runInProcess([...args], { cwd: bad, env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(idp.tokenRequests().length).toBe(before);
  });
});
