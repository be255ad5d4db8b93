import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { headersCommand } from './headers.js';
import { createAgentCommand, listAgentsCommand } from './keycloak.js';
import { logoutCommand } from './logout.js';
import { refreshCommand } from './refresh.js';
import { runCommand } from './run.js';
import { statusCommand } from './status.js';
import { tokenCommand } from './token.js';

/** Flags → a command's input: what each command asks of its use case, before anything runs. */
describe('flags → input', () => {
  it('the main command', () => {
    const all = runCommand.parse({}, {});
    expect([...all.selection.steps]).toEqual(['ingress', 'agents', 'agentcore', 'egress']);
    expect(all.steps).toEqual({
      force: false,
      openBrowser: true,
      device: 'auto',
      browserTimeoutMs: 300_000,
      progress: true,
    });
    const egress = runCommand.parse(
      { egressOnly: true, provider: ['atlassian'], browser: false, device: false, timeout: 30, force: true, json: true },
      {},
    );
    expect(egress.selection).toMatchObject({ only: 'egress', providers: ['atlassian'] });
    expect(egress.steps).toMatchObject({ force: true, openBrowser: false, device: 'off', browserTimeoutMs: 30_000 });
    expect(egress.json).toBe(true);
    expect(runCommand.parse({ device: true }, {}).steps.device).toBe('explicit');
    expect(runCommand.parse({ keycloakOnly: true }, {}).selection.only).toBe('agents');
    expect(() => runCommand.parse({ ingressOnly: true, provider: ['github'] }, {})).toThrow(UsageError);
  });

  it('token, headers, logout, refresh, status', () => {
    expect(tokenCommand.parse({}, {})).toEqual({ kind: 'ingress' });
    expect(tokenCommand.parse({ agent: 'a' }, {})).toEqual({ kind: 'agent', id: 'a' });
    expect(tokenCommand.parse({ server: 's' }, {})).toEqual({ kind: 'server', server: 's' });
    expect(() => tokenCommand.parse({ ingress: true, server: 's' }, {})).toThrow('exclude each other');

    expect(headersCommand.parse({ server: 'x' }, { CLAUDE_CODE_MCP_SERVER_NAME: 'y' })).toEqual({ server: 'x' });
    expect(headersCommand.parse({}, { CLAUDE_CODE_MCP_SERVER_NAME: 'y' })).toEqual({ server: 'y' });
    expect(() => headersCommand.parse({}, {})).toThrow('which server?');

    expect(logoutCommand.parse({ server: 'x' }, {})).toEqual({ server: 'x', json: false });
    expect(logoutCommand.parse({ all: true }, {})).toEqual({ all: true, json: false });
    expect(() => logoutCommand.parse({}, {})).toThrow('say what to log out of');
    expect(() => logoutCommand.parse({ all: true, server: 'x' }, {})).toThrow('say what to log out of');

    expect(refreshCommand.parse({}, {})).toEqual({ watch: false, bufferSeconds: 3600, intervalSeconds: 300, force: false, json: false });
    expect(() => refreshCommand.parse({ once: true, watch: true }, {})).toThrow('exclude each other');
    expect(createAgentCommand.parse({ agentId: 'travel-bot', group: ['g'] }, {})).toEqual({
      agentId: 'travel-bot',
      groups: ['g'],
      json: false,
    });
    expect(() => createAgentCommand.parse({}, {})).toThrow('--agent-id is required');
    expect(() => createAgentCommand.parse({ agentId: 'ops-egress' }, {})).toThrow('may not end in "-token" or "-egress"');
    expect(() => createAgentCommand.parse({ agentId: 'x-token' }, {})).toThrow(UsageError);
    expect(listAgentsCommand.parse({ json: true }, {})).toEqual({ json: true });
    expect(createAgentCommand.storage).toBe('files');
    expect(statusCommand.parse({ check: true, buffer: 60 }, {})).toEqual({ json: false, check: true, bufferSeconds: 60 });
  });
});
