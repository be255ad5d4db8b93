import type { CliContext } from '../../context.js';
import { agentClientId } from '../../../keycloak/admin.js';
import { agentFile, agentTokenFile, checkAgentId, openAdminSession, type KeycloakFlags } from './shared.js';

/**
 * `mcpgw-creds keycloak delete-agent --agent-id ID`: deletes the client (its service account goes
 * with it) and the local agent-ID.json and agent-ID-token.json. Deleting what is already gone is fine.
 */
export async function deleteAgentCommand(flags: KeycloakFlags, cli: CliContext): Promise<number> {
  const agentId = checkAgentId(flags.agentId);
  const session = await openAdminSession(flags, cli);
  const deleted = await session.admin.deleteAgent(agentId);
  for (const file of [agentFile(agentId), agentTokenFile(agentId)]) await session.store.remove(file);
  const what = deleted ? `deleted the client ${agentClientId(agentId)}` : `no client ${agentClientId(agentId)} in the realm ${session.settings.location.realm} (already gone)`;
  cli.io.info(`${cli.io.paint.ok('✔')} ${cli.io.paint.bold(`agent ${agentId}`)}: ${what}; removed its local files`);
  if (flags.json) cli.io.out(JSON.stringify({ agent_id: agentId, client_id: agentClientId(agentId), deleted }, null, 2) + '\n');
  return 0;
}
