import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startGateway, type Gateway } from '../servers/gateway.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'listed-secret-0123456789';
let idp: LocalIdp;
let gateway: Gateway;

beforeAll(async () => {
  idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
  gateway = await startGateway({
    issuer: idp.issuer,
    jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`,
    servers: ['mcpgw', 'fininfo', 'tools'],
    extraListed: [
      { name: 'elsewhere', url: 'https://other.example.com/elsewhere/mcp', transport: 'streamable-http' },
      { name: 'old', url: '/old/sse', transport: 'sse' },
      { name: 'legacy', url: '/legacy/mcp', transport: 'sse' },
      { name: 'weird', url: '/../..%2Fetc/mcp', transport: 'streamable-http' },
    ],
  });
});
afterAll(async () => {
  await gateway.close();
  await idp.close();
});

const env = (registry: string): Record<string, string> => ({
  AUTH_PROVIDER: 'keycloak',
  KEYCLOAK_URL: idp.baseUrl,
  KEYCLOAK_M2M_CLIENT_ID: 'm2m',
  KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
  REGISTRY_URL: registry,
  MCP_SERVERS: 'currenttime,auto',
});

describe('MCP_SERVERS=auto: the servers the gateway lists', () => {
  it('adds the Streamable HTTP servers on the gateway’s own origin, named by their path, to the rendered files', async () => {
    const cwd = makeWorkdir('mcpgw-listed-');
    const result = await runInProcess(['--ingress-only'], { cwd, env: env(gateway.url) });
    expect(result.code, result.stderr).toBe(0);
    const servers = Object.keys(readJson(path.join(cwd, '.oauth-tokens', 'mcp.json')).mcpServers);
    expect(servers).toEqual(['mcpgw', 'currenttime', 'fininfo', 'tools']);
  });

  it('warns when the list cannot be read, and renders the rest', async () => {
    const cwd = makeWorkdir('mcpgw-listed-');
    const result = await runInProcess(['--ingress-only'], { cwd, env: env(`http://127.0.0.1:${await closedPort()}`) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("the gateway's server list");
    expect(result.stderr).toContain('MCP_SERVERS=auto adds nothing this time');
    expect(Object.keys(readJson(path.join(cwd, '.oauth-tokens', 'mcp.json')).mcpServers)).toEqual(['mcpgw', 'currenttime']);
  });
});
