import type { AgentDefinition } from '../config/agents-config.js';
import { agentTokenFile } from '../store/records.js';
import {
  obtainClientCredentialsToken,
  type ClientCredentialsDeps,
  type ObtainedToken,
  type TokenOptions,
} from './client-credentials-flow.js';

/** Obtains one agent's Keycloak service-account token into `agent-{id}-token.json` (SPEC §5). */
export function obtainAgentToken(
  deps: ClientCredentialsDeps,
  agent: AgentDefinition,
  options: TokenOptions,
): Promise<ObtainedToken> {
  return obtainClientCredentialsToken(
    deps,
    {
      file: agentTokenFile(agent.id),
      client: agent.client,
      head: { provider: 'keycloak_m2m' },
      tail: { keycloak_url: agent.keycloakUrl, realm: agent.realm, agent_id: agent.id },
    },
    options,
  );
}
