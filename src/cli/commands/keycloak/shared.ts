import { isSafeName } from '../../../config/names.js';
import { resolveKeycloakAdmin, type KeycloakAdminSettings } from '../../../config/keycloak-admin-config.js';
import { Problems } from '../../../config/problems.js';
import { resolveSettings, type CommonFlags } from '../../../config/settings.js';
import { UsageError } from '../../../errors.js';
import { connectKeycloakAdmin, type KeycloakAdmin } from '../../../keycloak/admin.js';
import { agentTokenFile } from '../../../store/records.js';
import { FsTokenStore } from '../../../store/fs-token-store.js';
import type { TokenStore } from '../../../store/token-store.js';
import type { CliContext } from '../../context.js';

export interface KeycloakFlags extends CommonFlags {
  json?: boolean;
  agentId?: string;
  group?: string[];
}

export interface AdminSession {
  admin: KeycloakAdmin;
  settings: KeycloakAdminSettings;
  store: TokenStore;
}

/** The agent id of --agent-id: it becomes part of a client id and of file names. */
export function checkAgentId(agentId: string | undefined): string {
  if (agentId === undefined) throw new UsageError('--agent-id is required', 'e.g. mcpgw-creds keycloak create-agent --agent-id travel-bot');
  if (!isSafeName(agentId)) throw new UsageError(`--agent-id "${agentId}" may hold only letters, digits, ".", "_" and "-" (at most 64)`);
  return agentId;
}

/** Checks the settings (before any request), then signs in to the admin API. */
export async function openAdminSession(flags: KeycloakFlags, cli: CliContext): Promise<AdminSession> {
  const problems = new Problems();
  const base = resolveSettings(flags, { cwd: cli.cwd, processEnv: cli.env }, problems);
  const settings = resolveKeycloakAdmin(base.env, base, problems);
  problems.throwIfAny();
  for (const warning of problems.warnings) cli.io.warn(warning);
  const ready = settings as KeycloakAdminSettings;
  cli.io.addSecret(ready.password);
  const admin = await connectKeycloakAdmin(ready);
  return { admin, settings: ready, store: new FsTokenStore(base.tokensDir, { warn: cli.io.warn }) };
}

export function agentFile(agentId: string): string {
  return `agent-${agentId}.json`;
}

/** Writes agent-{id}.json (SPEC §5): what the agents step needs to get the agent's token. */
export async function writeAgentFile(session: AdminSession, agentId: string, clientId: string, clientSecret: string): Promise<string> {
  const file = agentFile(agentId);
  return session.store.withLock(file, () =>
    session.store.writeJson(file, {
      client_id: clientId,
      client_secret: clientSecret,
      keycloak_url: session.settings.location.url,
      realm: session.settings.location.realm,
    }),
  );
}

export { agentTokenFile };
