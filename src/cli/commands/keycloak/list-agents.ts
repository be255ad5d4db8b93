import { existsSync } from 'node:fs';
import type { CliContext } from '../../context.js';
import { agentFile, openAdminSession, type KeycloakFlags } from './shared.js';

/** `mcpgw-creds keycloak list-agents`: the agent clients of the realm, on stdout (a table, or --json). */
export async function listAgentsCommand(flags: KeycloakFlags, cli: CliContext): Promise<number> {
  const session = await openAdminSession(flags, cli);
  const agents = (await session.admin.listAgents()).map((agent) => ({
    agent_id: agent.agentId,
    client_id: agent.clientId,
    enabled: agent.enabled,
    groups: agent.groups,
    local_file: existsSync(session.store.pathOf(agentFile(agent.agentId))) ? session.store.pathOf(agentFile(agent.agentId)) : null,
  }));
  if (flags.json) {
    cli.io.out(JSON.stringify({ realm: session.settings.location.realm, agents }, null, 2) + '\n');
    return 0;
  }
  if (agents.length === 0) {
    cli.io.info(`no agent clients (agent-*-m2m) in the realm ${session.settings.location.realm}`);
    return 0;
  }
  const rows = [['AGENT', 'CLIENT', 'ENABLED', 'GROUPS', 'LOCAL FILE'], ...agents.map((a) => [a.agent_id, a.client_id, a.enabled ? 'yes' : 'no', a.groups.join(',') || '-', a.local_file ? 'yes' : 'no'])];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  cli.io.out(rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n') + '\n');
  return 0;
}
