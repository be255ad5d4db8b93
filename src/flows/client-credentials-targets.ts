import type { AgentDefinition } from '../config/agents-config.js';
import type { AgentCoreSet, IngressConfig } from '../config/types.js';
import { AGENTCORE_PROVIDER, agentCoreFile, agentTokenFile, INGRESS_FILE } from '../store/layout.js';
import type { ClientCredentialsTarget } from './client-credentials-flow.js';

/** The ingress token's file and fields: `provider` is `{AUTH_PROVIDER}_m2m` (`keycloak_m2m`, ...). */
export function ingressTarget(config: IngressConfig): ClientCredentialsTarget {
  return { file: INGRESS_FILE, client: config.client, head: { provider: `${config.provider}_m2m` }, tail: config.fields };
}

/** One agent's Keycloak service-account token: `agent-{id}-token.json`. */
export function agentTarget(agent: AgentDefinition): ClientCredentialsTarget {
  return {
    file: agentTokenFile(agent.id),
    client: agent.client,
    head: { provider: 'keycloak_m2m' },
    tail: { keycloak_url: agent.keycloakUrl, realm: agent.realm, agent_id: agent.id },
  };
}

/** An Amazon Bedrock AgentCore token: `bedrock-agentcore-{server}-egress.json`. */
export function agentCoreTarget(set: AgentCoreSet): ClientCredentialsTarget {
  return {
    file: agentCoreFile(set.server),
    client: set.client,
    head: { provider: AGENTCORE_PROVIDER, server: set.server },
    tail: {},
  };
}
