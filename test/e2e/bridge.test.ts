import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, secretsOnDisk } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { startGateway, type Gateway } from '../servers/gateway.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'bridge-secret-0123456789';
let idp: LocalIdp;
let gateway: Gateway;

beforeAll(async () => {
  // 4-second tokens: the bridge renews them when less than half their life is left.
  idp = await startLocalIdp({ shape: 'keycloak', accessTokenTtl: 4, clients: [{ clientId: 'm2m', clientSecret: SECRET, groups: ['g1'] }] });
  gateway = await startGateway({ issuer: idp.issuer, jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`, servers: ['mcpgw', 'tools'] });
});
afterAll(async () => {
  await gateway.close();
  await idp.close();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    AUTH_PROVIDER: 'keycloak',
    KEYCLOAK_URL: idp.baseUrl,
    KEYCLOAK_M2M_CLIENT_ID: 'm2m',
    KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    REGISTRY_URL: gateway.url,
    ...extra,
  };
}

/** The MCP SDK's own client, talking to `mcpgw-creds bridge` over stdio. */
async function connect(
  cwd: string,
  environment: Record<string, string>,
  server = 'mcpgw',
): Promise<{ client: Client; stderr: () => string; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({ command: BIN, args: ['bridge', '--server', server], cwd, env: environment, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'bridge-test', version: '1.0.0' });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  return { client, stderr: () => `${stderr}${errors.map((e) => `\nclient error: ${e.message}`).join('')}`, transport };
}

const text = (result: unknown): string => (result as { content: Array<{ text: string }> }).content[0]?.text ?? '';

describe('bridge: a stdio MCP server in front of the gateway', () => {
  it('forwards initialize, tools/list and tools/call with fresh headers, across token expiry and a forced 401', async () => {
    const cwd = makeWorkdir('mcpgw-bridge-');
    expect((await runCli(['--ingress-only'], { cwd, env: env() })).code).toBe(0);
    const { client, stderr } = await connect(cwd, env());
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['echo', 'whoami']);
      expect(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('mcpgw: hi');
      expect(JSON.parse(text(await client.callTool({ name: 'whoami', arguments: {} })))).toEqual({ server: 'mcpgw', groups: ['g1'] });

      // Across an expiry: the token issued at the start is dead by now; the bridge renewed it first.
      const issued = idp.tokenRequests().length;
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      expect(text(await client.callTool({ name: 'echo', arguments: { text: 'later' } }))).toBe('mcpgw: later');
      expect(idp.tokenRequests().length).toBeGreaterThan(issued);

      // A 401 the bridge did not expect: renewed once, retried, answered.
      const before = idp.tokenRequests().length;
      const seen = gateway.seen.length;
      gateway.rejectNext(1);
      expect(text(await client.callTool({ name: 'echo', arguments: { text: 'again' } }))).toBe('mcpgw: again');
      expect(gateway.seen.slice(seen).map((request) => request.status)).toEqual([401, 200]);
      expect(idp.tokenRequests().length).toBe(before + 1);
      // One MCP session throughout, its id passed through on every request.
      const sessions = new Set(gateway.seen.filter((r) => r.headers['mcp-session-id']).map((r) => r.headers['mcp-session-id']));
      expect(sessions.size).toBe(1);
    } finally {
      await client.close();
    }
    const output = stderr();
    expect(output).toBe('');
    for (const secret of [SECRET, ...secretsOnDisk(cwd)]) expect(output.includes(secret)).toBe(false);
  }, 30_000);

  it('answers with a JSON-RPC error naming the command to run when there is no usable token', async () => {
    const cwd = makeWorkdir('mcpgw-bridge-');
    const { AUTH_PROVIDER: _, ...withoutIngress } = env();
    await expect(connect(cwd, withoutIngress)).rejects.toThrow(
      /mcpgw-creds has no usable token for the server mcpgw: the ingress token is missing.*set AUTH_PROVIDER/,
    );
  });

  it('for an egress server never signed in, says which sign-in to run', async () => {
    const cwd = makeWorkdir('mcpgw-bridge-');
    expect((await runCli(['--ingress-only'], { cwd, env: env() })).code).toBe(0);
    const egress = env({ EGRESS_PROVIDER_NAME_1: 'github', EGRESS_OAUTH_CLIENT_ID_1: 'gh-app', EGRESS_MCP_SERVER_NAME_1: 'tools' });
    await expect(connect(cwd, egress, 'tools')).rejects.toThrow(
      /no token yet; a sign-in is needed \(sign in with mcpgw-creds --egress-only --provider github\)/,
    );
  });

  it('ends when stdin closes, and the gateway session with it', async () => {
    const cwd = makeWorkdir('mcpgw-bridge-');
    expect((await runCli(['--ingress-only'], { cwd, env: env() })).code).toBe(0);
    const { client, transport } = await connect(cwd, env(), 'tools');
    await client.listTools();
    const pid = transport.pid;
    expect(pid).toBeTypeOf('number');
    const seen = gateway.seen.length;
    await client.close();
    const deadline = Date.now() + 5_000;
    const alive = (): boolean => {
      try {
        process.kill(pid as number, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive()).toBe(false);
    expect(gateway.seen.slice(seen).map((request) => request.method)).toContain('DELETE');
  });
});
