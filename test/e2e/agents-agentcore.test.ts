import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/run-cli.js';
import { jwtClaims, makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const AGENT_A_SECRET = 'agent-a-secret-000111222';
const AGENT_B_SECRET = 'agent-b-secret-333444555';
const AGENTCORE_SECRET = 'agentcore-secret-666777888';
let keycloak: LocalIdp;
let cognito: LocalIdp;

beforeAll(async () => {
  keycloak = await startLocalIdp({
    shape: 'keycloak',
    clients: [
      { clientId: 'agent-alpha-m2m', clientSecret: AGENT_A_SECRET, groups: ['mcp-servers-restricted'] },
      { clientId: 'agent-beta-m2m', clientSecret: AGENT_B_SECRET, groups: ['mcp-servers-unrestricted'] },
    ],
  });
  cognito = await startLocalIdp({
    shape: 'cognito',
    poolId: 'us-west-2_AgentCore1',
    clients: [{ clientId: 'agentcore-client', clientSecret: AGENTCORE_SECRET, auth: 'client_secret_basic' }],
  });
});
afterAll(async () => {
  await keycloak.close();
  await cognito.close();
});

function writeAgent(dir: string, id: string, fields: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, `agent-${id}.json`), JSON.stringify(fields), { mode: 0o600 });
}

describe('Keycloak agent tokens', () => {
  it('gives each agent its own token from its own client, with the documented fields', async () => {
    const cwd = makeWorkdir();
    const dir = path.join(cwd, '.oauth-tokens');
    writeAgent(dir, 'alpha', {
      client_id: 'agent-alpha-m2m',
      client_secret: AGENT_A_SECRET,
      keycloak_url: keycloak.baseUrl,
      realm: 'mcp-gateway',
    });
    // No keycloak_url: KEYCLOAK_URL applies.
    writeAgent(dir, 'beta', { client_id: 'agent-beta-m2m', client_secret: AGENT_B_SECRET });
    const result = await runCli(['--agents-only', '--json'], { cwd, env: { KEYCLOAK_URL: keycloak.baseUrl } });
    expect(result.code).toBe(0);
    const steps = JSON.parse(result.stdout).steps;
    expect(
      steps.filter((s: { step: string }) => s.step === 'agents').map((s: { name: string; status: string }) => [s.name, s.status]),
    ).toEqual([
      ['alpha', 'ok'],
      ['beta', 'ok'],
    ]);

    const alpha = readJson(path.join(dir, 'agent-alpha-token.json'));
    const beta = readJson(path.join(dir, 'agent-beta-token.json'));
    expect(Object.keys(alpha).sort()).toEqual(
      [
        'access_token',
        'agent_id',
        'client_id',
        'expires_at',
        'expires_at_human',
        'keycloak_url',
        'provider',
        'realm',
        'saved_at',
        'token_type',
        'token_url',
      ].sort(),
    );
    expect(alpha).toMatchObject({
      provider: 'keycloak_m2m',
      agent_id: 'alpha',
      client_id: 'agent-alpha-m2m',
      realm: 'mcp-gateway',
      keycloak_url: keycloak.baseUrl,
    });
    expect(beta).toMatchObject({ agent_id: 'beta', client_id: 'agent-beta-m2m' });
    expect(jwtClaims(alpha.access_token).groups).toEqual(['mcp-servers-restricted']);
    expect(jwtClaims(beta.access_token).groups).toEqual(['mcp-servers-unrestricted']);
    expect(modeOf(path.join(dir, 'agent-alpha-token.json'))).toBe(0o600);
    expectNoSecrets(result, [AGENT_A_SECRET, AGENT_B_SECRET, alpha.access_token, beta.access_token]);

    // The token files are not taken for agents on the next run; the tokens are reused.
    const before = keycloak.tokenRequests().length;
    const again = await runCli(['--keycloak-only', '--json'], { cwd, env: { KEYCLOAK_URL: keycloak.baseUrl } });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).steps.map((s: { status: string }) => s.status)).toEqual(['cached', 'cached', 'skipped']);
    expect(keycloak.tokenRequests().length).toBe(before);
  });

  it('keeps going when one agent is refused, and exits 3', async () => {
    const cwd = makeWorkdir();
    const dir = path.join(cwd, '.oauth-tokens');
    writeAgent(dir, 'alpha', { client_id: 'agent-alpha-m2m', client_secret: 'wrong-agent-secret-999' });
    writeAgent(dir, 'beta', { client_id: 'agent-beta-m2m', client_secret: AGENT_B_SECRET });
    const result = await runCli(['--agents-only', '--json'], { cwd, env: { KEYCLOAK_URL: keycloak.baseUrl } });
    expect(result.code).toBe(3);
    const steps = JSON.parse(result.stdout).steps;
    expect(steps[0]).toMatchObject({ name: 'alpha', status: 'failed', error: { code: 'invalid_client', exit_code: 3 } });
    expect(steps[1]).toMatchObject({ name: 'beta', status: 'ok' });
    expect(result.stderr).toContain('"client_secret" in agent-alpha.json');
    expectNoSecrets(result, ['wrong-agent-secret-999', AGENT_B_SECRET]);
  });

  it('exits 2 naming the file when an agent file lacks client_id or has no Keycloak to go to', async () => {
    const cwd = makeWorkdir();
    const dir = path.join(cwd, '.oauth-tokens');
    writeAgent(dir, 'broken', { client_secret: 'some-secret-value-1234' });
    const result = await runCli(['--agents-only'], { cwd, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('agent-broken.json');
    expect(result.stderr).toContain('client_id');
    expect(result.stderr).toContain('KEYCLOAK_URL');
    expectNoSecrets(result, ['some-secret-value-1234']);
  });

  it('exits 2 for --agents-only with no agent file', async () => {
    const result = await runCli(['--agents-only'], { cwd: makeWorkdir(), env: { KEYCLOAK_URL: keycloak.baseUrl } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('agent-{id}.json');
  });
});

describe('Amazon Bedrock AgentCore tokens', () => {
  it('writes bedrock-agentcore-{server}-egress.json and renders it as an egress server', async () => {
    const cwd = makeWorkdir();
    const env = {
      AGENTCORE_CLIENT_ID_1: 'agentcore-client',
      AGENTCORE_CLIENT_SECRET_1: AGENTCORE_SECRET,
      AGENTCORE_TOKEN_URL_1: `${cognito.baseUrl}/oauth2/token`,
      AGENTCORE_SCOPE_1: 'mcp-gateway/tools',
      AGENTCORE_SERVER_NAME_1: 'weather-agent',
      REGISTRY_URL: 'https://gateway.example.com',
    };
    const result = await runCli(['--agentcore-only'], { cwd, env });
    expect(result.code).toBe(0);
    const dir = path.join(cwd, '.oauth-tokens');
    const record = readJson(path.join(dir, 'bedrock-agentcore-weather-agent-egress.json'));
    expect(Object.keys(record).sort()).toEqual(
      [
        'access_token',
        'client_id',
        'expires_at',
        'expires_at_human',
        'provider',
        'saved_at',
        'scope',
        'server',
        'token_type',
        'token_url',
      ].sort(),
    );
    expect(record).toMatchObject({
      provider: 'bedrock-agentcore',
      server: 'weather-agent',
      client_id: 'agentcore-client',
      scope: 'mcp-gateway/tools',
    });
    expect(cognito.tokenRequests().at(-1)?.authorization).toMatch(/^Basic /);

    const mcp = readJson(path.join(dir, 'mcp.json'));
    expect(mcp.mcpServers['weather-agent']).toEqual({
      type: 'streamable-http',
      url: 'https://gateway.example.com/weather-agent/mcp',
      headers: { Authorization: `Bearer ${record.access_token}` },
      disabled: false,
      alwaysAllow: [],
    });
    expectNoSecrets(result, [AGENTCORE_SECRET, record.access_token]);
  });

  it('exits 2 naming the missing variable of a partial set', async () => {
    const result = await runCli(['--agentcore-only'], {
      cwd: makeWorkdir(),
      env: { AGENTCORE_CLIENT_ID_2: 'x', AGENTCORE_CLIENT_SECRET_2: 'y-secret-value', AGENTCORE_SERVER_NAME_2: 'srv' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('AGENTCORE_TOKEN_URL_2 is not set');
  });
});
