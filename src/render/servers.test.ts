import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../store/records.js';
import { renderMcpJson } from './mcp-json.js';
import { buildServers } from './servers.js';
import { renderVscode } from './vscode.js';

const record = (fields: Partial<TokenRecord>): TokenRecord => ({
  provider: 'keycloak_m2m',
  access_token: 'tok',
  token_type: 'Bearer',
  expires_at: 2,
  expires_at_human: '',
  client_id: 'cid',
  saved_at: 1,
  ...fields,
});

describe('buildServers', () => {
  const warnings: string[] = [];
  const servers = buildServers({
    registryUrl: 'https://gw.example.com',
    ingress: record({ access_token: 'ingress-tok', keycloak_url: 'https://kc', realm: 'r' }),
    egress: [
      record({ provider: 'github', server: 'zeta', access_token: 'gh-tok' }),
      record({ provider: 'atlassian', server: 'atlassian', access_token: 'at-tok', cloud_id: 'cloud-1' }),
      record({ provider: 'google', server: 'gdrive', access_token: 'g-tok' }),
    ],
    mcpServers: ['fininfo', 'zeta', 'currenttime'],
    providerHeaders: (provider): Record<string, string> | undefined =>
      provider === 'atlassian'
        ? { 'X-Atlassian-Cloud-Id': '{cloud_id}' }
        : provider === 'google'
          ? { 'X-Missing': '{nothing}' }
          : undefined,
    warn: (message) => warnings.push(message),
  });

  it('orders mcpgw, egress servers by name, then MCP_SERVERS as written, without duplicates', () => {
    expect(servers.map((s) => s.name)).toEqual(['mcpgw', 'atlassian', 'gdrive', 'zeta', 'fininfo', 'currenttime']);
  });
  it('adds Authorization and the provider headers to egress servers, filling placeholders', () => {
    expect(servers[1]?.headers).toEqual({
      'X-Authorization': 'Bearer ingress-tok',
      'X-Client-Id': 'cid',
      'X-Keycloak-Realm': 'r',
      'X-Keycloak-URL': 'https://kc',
      Authorization: 'Bearer at-tok',
      'X-Atlassian-Cloud-Id': 'cloud-1',
    });
    expect(servers[4]?.headers.Authorization).toBeUndefined();
  });
  it('leaves out a header whose placeholder has no value, with a warning', () => {
    expect(servers[2]?.headers['X-Missing']).toBeUndefined();
    expect(warnings.join('\n')).toContain('X-Missing');
  });
  it('renders both shapes', () => {
    expect(renderVscode(servers.slice(0, 1))).toEqual({
      mcp: { servers: { mcpgw: { type: 'http', url: 'https://gw.example.com/mcpgw/mcp', headers: servers[0]?.headers } } },
    });
    expect(renderMcpJson(servers.slice(0, 1))).toEqual({
      mcpServers: {
        mcpgw: {
          type: 'streamable-http',
          url: 'https://gw.example.com/mcpgw/mcp',
          headers: servers[0]?.headers,
          disabled: false,
          alwaysAllow: [],
        },
      },
    });
  });
});
