import { checked } from '../config/config.js';
import type { KeycloakAdminSettings } from '../config/keycloak-admin-config.js';
import { isSafeName } from '../config/names.js';
import { UsageError } from '../errors.js';
import type { AgentState, KeycloakAdmin } from '../keycloak/admin.js';
import { agentFile, agentTokenFile, isAgentIdFree } from '../store/layout.js';
import type { Deps } from './deps.js';

/** The group an agent's service account joins unless told otherwise. */
const DEFAULT_AGENT_GROUP = 'mcp-servers-restricted';

type AdminDeps = Pick<Deps, 'config' | 'store' | 'log' | 'fetch'>;

interface Session {
  admin: KeycloakAdmin;
  settings: KeycloakAdminSettings;
}

/** An agent id becomes part of a client id and of file names: checked before anything is read. */
export function checkAgentId(agentId: string | undefined): string {
  if (agentId === undefined) throw new UsageError('--agent-id is required', 'e.g. mcpgw-creds keycloak create-agent --agent-id travel-bot');
  if (!isSafeName(agentId)) throw new UsageError(`--agent-id "${agentId}" may hold only letters, digits, ".", "_" and "-" (at most 64)`);
  if (!isAgentIdFree(agentId)) {
    throw new UsageError(`--agent-id "${agentId}" may not end in "-token" or "-egress": the tokens directory names other files that way`);
  }
  return agentId;
}

/** Checks the admin settings (before any request), then signs in to the admin API. */
async function openSession(deps: AdminDeps): Promise<Session> {
  const settings = checked(deps.config.keycloakAdmin) as KeycloakAdminSettings;
  for (const warning of deps.config.keycloakAdmin.warnings) deps.log.warn(warning);
  const { connectKeycloakAdmin } = await import('../keycloak/admin.js');
  return {
    admin: await connectKeycloakAdmin(settings, { transport: deps.fetch, timeoutMs: deps.config.settings.httpTimeoutMs }),
    settings,
  };
}

/** Writes agent-{id}.json: what the agents step needs to get the agent's token. */
function writeAgentFile(deps: AdminDeps, session: Session, agentId: string, clientId: string, clientSecret: string): Promise<string> {
  const file = agentFile(agentId);
  return deps.store.withLock(file, () =>
    deps.store.writeJson(file, {
      client_id: clientId,
      client_secret: clientSecret,
      keycloak_url: session.settings.location.url,
      realm: session.settings.location.realm,
    }),
  );
}

export interface AgentWritten {
  agentId: string;
  clientId: string;
  realm: string;
  file: string;
}

/**
 * Creates the agent's confidential client `agent-ID-m2m`, or brings it up to date (running it twice
 * is safe): service account, `groups` mapper, `basic` scope, the service account in exactly the
 * given groups; then writes agent-ID.json (mode 600).
 */
export async function createAgent(
  deps: AdminDeps,
  input: { agentId: string | undefined; groups: readonly string[] },
): Promise<AgentWritten & { created: boolean; groups: string[] }> {
  const agentId = checkAgentId(input.agentId);
  const groups = input.groups.length > 0 ? [...new Set(input.groups)] : [DEFAULT_AGENT_GROUP];
  const session = await openSession(deps);
  const agent = await session.admin.ensureAgent(agentId, groups);
  const file = await writeAgentFile(deps, session, agentId, agent.clientId, agent.clientSecret);
  return { agentId, clientId: agent.clientId, realm: session.settings.location.realm, file, created: agent.created, groups: agent.groups };
}

/** A new client secret in Keycloak, written to agent-ID.json. Tokens issued before stay valid until they expire. */
export async function rotateAgentSecret(deps: AdminDeps, input: { agentId: string | undefined }): Promise<AgentWritten> {
  const agentId = checkAgentId(input.agentId);
  const session = await openSession(deps);
  const { agentClientId } = await import('../keycloak/admin.js');
  const secret = await session.admin.rotateSecret(agentId);
  const file = await writeAgentFile(deps, session, agentId, agentClientId(agentId), secret);
  return { agentId, clientId: agentClientId(agentId), realm: session.settings.location.realm, file };
}

/** Deletes the agent's client (its service account goes with it) and its local files; deleting what is gone is fine. */
export async function deleteAgent(
  deps: AdminDeps,
  input: { agentId: string | undefined },
): Promise<{ agentId: string; clientId: string; realm: string; deleted: boolean }> {
  const agentId = checkAgentId(input.agentId);
  const session = await openSession(deps);
  const { agentClientId } = await import('../keycloak/admin.js');
  const deleted = await session.admin.deleteAgent(agentId);
  for (const file of [agentFile(agentId), agentTokenFile(agentId)]) await deps.store.remove(file);
  return { agentId, clientId: agentClientId(agentId), realm: session.settings.location.realm, deleted };
}

/** The agent clients of the realm, and which have a local agent file. */
export async function listAgents(
  deps: AdminDeps,
): Promise<{ realm: string; agents: Array<AgentState & { localFile: string | undefined }> }> {
  const session = await openSession(deps);
  const present = new Set(await deps.store.list());
  const agents = (await session.admin.listAgents()).map((agent) => ({
    ...agent,
    localFile: present.has(agentFile(agent.agentId)) ? deps.store.pathOf(agentFile(agent.agentId)) : undefined,
  }));
  return { realm: session.settings.location.realm, agents };
}
