import type { CliContext } from '../../context.js';
import { displayPath } from '../../report.js';
import { agentClientId } from '../../../keycloak/admin.js';
import { checkAgentId, openAdminSession, writeAgentFile, type KeycloakFlags } from './shared.js';

/**
 * `mcpgw-creds keycloak rotate-secret --agent-id ID`: a new client secret in Keycloak, written to
 * agent-ID.json. Tokens issued with the old secret stay valid until they expire.
 */
export async function rotateSecretCommand(flags: KeycloakFlags, cli: CliContext): Promise<number> {
  const agentId = checkAgentId(flags.agentId);
  const session = await openAdminSession(flags, cli);
  const secret = await session.admin.rotateSecret(agentId);
  cli.io.addSecret(secret);
  const file = await writeAgentFile(session, agentId, agentClientId(agentId), secret);
  cli.io.info(`${cli.io.paint.ok('✔')} ${cli.io.paint.bold(`agent ${agentId}`)}: new client secret → ${displayPath(file, cli.cwd)}; the old one no longer works`);
  if (flags.json) cli.io.out(JSON.stringify({ agent_id: agentId, client_id: agentClientId(agentId), file }, null, 2) + '\n');
  return 0;
}
