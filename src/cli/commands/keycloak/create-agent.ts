import type { CliContext } from '../../context.js';
import { displayPath } from '../../report.js';
import { checkAgentId, openAdminSession, writeAgentFile, type KeycloakFlags } from './shared.js';

export const DEFAULT_AGENT_GROUP = 'mcp-servers-restricted';

/**
 * `mcpgw-creds keycloak create-agent --agent-id ID [--group NAME ...]`: creates the agent's
 * confidential client `agent-ID-m2m`, or brings it up to date (running it twice is safe): service
 * account, `groups` mapper, `basic` scope, the service account in exactly the given groups; then
 * writes agent-ID.json (mode 600).
 */
export async function createAgentCommand(flags: KeycloakFlags, cli: CliContext): Promise<number> {
  const agentId = checkAgentId(flags.agentId);
  const groups = flags.group && flags.group.length > 0 ? [...new Set(flags.group)] : [DEFAULT_AGENT_GROUP];
  const session = await openAdminSession(flags, cli);
  const agent = await session.admin.ensureAgent(agentId, groups);
  cli.io.addSecret(agent.clientSecret);
  const file = await writeAgentFile(session, agentId, agent.clientId, agent.clientSecret);
  const { paint } = cli.io;
  cli.io.info(
    `${paint.ok('✔')} ${paint.bold(`agent ${agentId}`)}: ${agent.created ? 'created' : 'updated'} the client ${agent.clientId} in the realm ${session.settings.location.realm}; ` +
      `its service account is in ${agent.groups.join(', ')} → ${displayPath(file, cli.cwd)}`,
  );
  cli.io.info(`  next: mcpgw-creds --agents-only gets its token`);
  if (flags.json) {
    cli.io.out(JSON.stringify({ agent_id: agentId, client_id: agent.clientId, created: agent.created, groups: agent.groups, file }, null, 2) + '\n');
  }
  return 0;
}
