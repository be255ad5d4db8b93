import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { ALL_STEPS, planSteps, type Selection } from '../../src/usecases/plan.js';
import { testDeps } from '../helpers/in-process.js';
import { makeWorkdir } from '../helpers/workdir.js';

/** The plan for a configuration, or the ConfigError that lists its problems. */
async function plan(env: Record<string, string>, selection: Selection, files: Record<string, unknown> = {}) {
  const cwd = makeWorkdir('mcpgw-plan-');
  mkdirSync(path.join(cwd, '.oauth-tokens'), { recursive: true, mode: 0o700 });
  for (const [name, value] of Object.entries(files))
    writeFileSync(path.join(cwd, '.oauth-tokens', name), JSON.stringify(value), { mode: 0o600 });
  const { deps, stderr } = await testDeps({ cwd, env });
  try {
    return { plan: await planSteps(deps, selection), error: undefined, stderr: stderr() };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { plan: undefined, error, stderr: stderr() };
  }
}

// A port nothing listens on: the planner never makes a request, so nothing needs to.
const KEYCLOAK = {
  AUTH_PROVIDER: 'keycloak',
  KEYCLOAK_URL: 'http://127.0.0.1:9',
  KEYCLOAK_M2M_CLIENT_ID: 'm2m',
  KEYCLOAK_M2M_CLIENT_SECRET: 'plan-secret-0123456789',
};
const EGRESS = { EGRESS_PROVIDER_NAME_1: 'github', EGRESS_OAUTH_CLIENT_ID_1: 'gh-app' };

describe('the planner: everything the selected steps need, checked before any request', () => {
  it('plans every configured step, with the provider definition resolved', async () => {
    const { plan: p } = await plan({ ...KEYCLOAK, ...EGRESS }, { steps: ALL_STEPS });
    expect(p?.ingress?.client.tokenEndpoint).toBe('http://127.0.0.1:9/realms/mcp-gateway/protocol/openid-connect/token');
    expect(p?.egress.map(({ set, provider }) => `${set.server}:${provider.tokenEndpoint}`)).toEqual([
      'github:https://github.com/login/oauth/access_token',
    ]);
    expect(p?.agents).toEqual([]);
  });

  it('checks only the selected steps: a half-written egress set does not stop --ingress-only', async () => {
    const broken = { EGRESS_PROVIDER_NAME_1: 'github' };
    expect((await plan({ ...KEYCLOAK, ...broken }, { steps: new Set(['ingress']), only: 'ingress' })).error).toBeUndefined();
    const all = await plan({ ...KEYCLOAK, ...broken }, { steps: ALL_STEPS });
    expect(all.error?.message).toContain('EGRESS_OAUTH_CLIENT_ID_1 is not set');
  });

  it('reports every problem at once, each naming its variable', async () => {
    const { error } = await plan(
      { AUTH_PROVIDER: 'keycloak', EGRESS_PROVIDER_NAME_2: 'nosuch', EGRESS_OAUTH_CLIENT_ID_2: 'x' },
      { steps: ALL_STEPS },
    );
    expect(error?.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('KEYCLOAK_URL is not set'),
        expect.stringContaining('KEYCLOAK_M2M_CLIENT_ID is not set'),
        expect.stringContaining('KEYCLOAK_M2M_CLIENT_SECRET is not set'),
        expect.stringContaining('EGRESS_PROVIDER_NAME_2 is "nosuch", which no provider definition describes'),
      ]),
    );
    expect(error?.problems).toHaveLength(4);
  });

  it('makes an explicitly asked-for step with nothing configured an error', async () => {
    expect((await plan({}, { steps: new Set(['ingress']), only: 'ingress' })).error?.message).toContain(
      '--ingress-only, but AUTH_PROVIDER is not set',
    );
    expect((await plan({}, { steps: new Set(['egress']), only: 'egress' })).error?.message).toContain(
      '--egress-only, but no egress set is configured',
    );
    expect((await plan({}, { steps: new Set(['agents']), only: 'agents' })).error?.message).toContain('--agents-only, but');
    expect((await plan({}, { steps: ALL_STEPS })).error).toBeUndefined();
  });

  it('refuses --provider for a provider no set is for, naming those that are', async () => {
    const { error } = await plan({ ...EGRESS }, { steps: new Set(['egress']), only: 'egress', providers: ['atlassian'] });
    expect(error?.message).toContain('--provider atlassian: no egress set is for that provider (configured: github)');
  });

  it('refuses --device for a provider without a device endpoint', async () => {
    const { error } = await plan(
      { EGRESS_PROVIDER_NAME_1: 'slack', EGRESS_OAUTH_CLIENT_ID_1: 's' },
      { steps: new Set(['egress']), device: true },
    );
    expect(error?.message).toContain('--device, but the slack provider (set 1) offers no device flow');
  });

  it('finds agents in their files (not in token files), defaults their Keycloak, and names a broken file', async () => {
    const files = {
      'agent-alpha.json': { client_id: 'agent-alpha-m2m', client_secret: 'alpha-secret-0123456789' },
      'agent-alpha-token.json': { provider: 'keycloak_m2m', access_token: 'a', expires_at: 1, agent_id: 'alpha' },
      'agent-beta.json': { client_secret: 'beta-secret-0123456789', keycloak_url: 'https://kc.example.com', realm: 'other' },
    };
    const { error } = await plan({ ...KEYCLOAK }, { steps: new Set(['agents']) }, files);
    expect(error?.problems).toEqual([expect.stringContaining('agent-beta.json in')]);
    expect(error?.message).toContain('"client_id" is missing');

    const { plan: p } = await plan(
      { ...KEYCLOAK },
      { steps: new Set(['agents']), agentIds: ['alpha'] },
      { 'agent-alpha.json': files['agent-alpha.json'] },
    );
    expect(p?.agents.map((a) => [a.id, a.client.tokenEndpoint])).toEqual([
      ['alpha', 'http://127.0.0.1:9/realms/mcp-gateway/protocol/openid-connect/token'],
    ]);
  });

  it('still reads an older agent file whose id ends in -egress (new ones are refused)', async () => {
    const files = { 'agent-ops-egress.json': { client_id: 'agent-ops-egress-m2m', client_secret: 'ops-secret-0123456789' } };
    const { plan: p } = await plan({ ...KEYCLOAK }, { steps: new Set(['agents']), only: 'agents' }, files);
    expect(p?.agents.map((a) => a.id)).toEqual(['ops-egress']);
  });

  it('shows a configuration warning once, not on every plan (a watcher plans every round)', async () => {
    const cwd = makeWorkdir('mcpgw-plan-');
    const env = { ...KEYCLOAK, KEYCLOAK_URL: 'http://kc.example.com', MCPGW_ALLOW_INSECURE_HTTP: '1' };
    const { deps, stderr } = await testDeps({ cwd, env });
    await planSteps(deps, { steps: ALL_STEPS });
    await planSteps(deps, { steps: ALL_STEPS });
    expect(stderr().match(/KEYCLOAK_URL uses plain http:\/\//g)).toHaveLength(1);
  });
});
